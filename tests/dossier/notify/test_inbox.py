"""The unread state a caseload reads: which dossiers have something new for me."""

from __future__ import annotations

import datetime as dt
import uuid

from dossier.notify.inbox import SHOWN, InboxService
from dossier.notify.models import Notice
from dossier.sections.models import Dossier
from tests.support.factories import add_account


async def test_every_dossier_with_an_unread_notice_has_news_not_only_the_newest(db):
    """A caseload marks a youth "Nieuw" whatever the age of her unread notice: one older
    than the newest `SHOWN` notices of the coach still counts; read ones and other people's
    do not."""
    coach, other = await add_account(db), await add_account(db)
    youths = [await add_account(db, kind="youth") for _ in range(4)]
    old, busy, read, elsewhere = (Dossier(id=uuid.uuid4(), owner_id=y.id) for y in youths)
    db.add_all([old, busy, read, elsewhere])
    await db.flush()
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

    def notice(dossier: Dossier, minutes: int, *, to=coach, read_at=None) -> Notice:
        return Notice(
            account_id=to.id,
            kind="entry",
            event_id=uuid.uuid4(),
            dossier_id=dossier.id,
            section="werk",
            created_at=start + dt.timedelta(minutes=minutes),
            read_at=read_at,
        )

    db.add(notice(old, 0))
    db.add_all(notice(busy, 1 + n) for n in range(SHOWN + 5))
    db.add(notice(read, 200, read_at=start))
    db.add(notice(elsewhere, 300, to=other))
    await db.flush()

    inbox = InboxService(db)
    assert await inbox.dossiers_with_news(coach.id) == {old.id, busy.id}
    assert await inbox.dossiers_with_news(other.id) == {elsewhere.id}
    await inbox.mark_read(coach.id, dossier_id=old.id)
    assert await inbox.dossiers_with_news(coach.id) == {busy.id}
