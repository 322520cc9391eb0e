// The unread-notifications badge in the header: the count arrives over the user's notification
// stream (at once, then within seconds of anything that notifies them). Text only, never HTML.
const badge = document.getElementById("notif-count");
const link = document.getElementById("notif-link");

function show(n) {
  badge.textContent = n > 99 ? "99+" : String(n);
  badge.hidden = n === 0;
  link.dataset.unread = String(n);
  link.setAttribute("aria-label", `${link.dataset.name} (${n})`);
}

if (badge && link && "EventSource" in window) {
  const source = new EventSource("/api/v1/notifications/stream");
  source.addEventListener("unread", (ev) => {
    try {
      show(Number(JSON.parse(ev.data).unread) || 0);
    } catch {
      /* a malformed frame changes nothing */
    }
  });
  window.addEventListener("pagehide", () => source.close());
}
