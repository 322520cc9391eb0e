"""Notifications: what needs a person's attention (their asset tasked, a tasking awaiting their
nation's approval, their RFA's progress, an RFA overdue, a message to their organisation, a SitRep
issued), written with the event that causes it, for the people who may read it, in words they may
read; shown live in the console and, when configured, e-mailed."""

from katchi.notifications import mail
from katchi.notifications.delivery import install, notices
from katchi.notifications.events import RFA_OVERDUE
from katchi.notifications.models import Notification
from katchi.notifications.queries import list_notifications, unread_count
from katchi.notifications.rules import RULES, Notice, Recipient, Rule
from katchi.notifications.schemas import MarkedRead, NotificationPage, NotificationRead, SweepResult, Unread
from katchi.notifications.service import mark_all_read, mark_read, sweep_overdue

install()

__all__ = [
    "RFA_OVERDUE",
    "RULES",
    "MarkedRead",
    "Notice",
    "Notification",
    "NotificationPage",
    "NotificationRead",
    "Recipient",
    "Rule",
    "SweepResult",
    "Unread",
    "install",
    "list_notifications",
    "mail",
    "mark_all_read",
    "mark_read",
    "notices",
    "sweep_overdue",
    "unread_count",
]
