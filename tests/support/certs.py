"""A throw-away certificate authority, server and device certificates for TLS tests."""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write(path: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> tuple[Path, Path]:
    key_path, cert_path = path.with_suffix(".key"), path.with_suffix(".pem")
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def make_pki(
    directory: Path, devices: list[str], without_common_name: tuple[str, ...] = ()
) -> dict[str, tuple[Path, Path]]:
    """``{"ca": (cert, key), "server": (cert, key), <device uid>: (cert, key)}`` (PEM files);
    ``without_common_name``: devices whose certificate names them only as a DNS alternative name."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = _key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Katchi test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    out = {"ca": _write(directory / "ca", ca_key, ca)}

    def issue(cn: str, *, server: bool, named: bool = True) -> tuple[Path, Path]:
        key = _key()
        subject = NameOID.COMMON_NAME if named else NameOID.ORGANIZATION_NAME
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(subject, cn)]))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(days=1))
        )
        if server:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
            )
        elif not named:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(cn.lower())]), critical=False)
        return _write(directory / cn, key, builder.sign(ca_key, hashes.SHA256()))

    out["server"] = issue("server", server=True)
    for uid in devices:
        out[uid] = issue(uid, server=False)
    for uid in without_common_name:
        out[uid] = issue(uid, server=False, named=False)
    return out
