-- 088 a calendar the account may only read cannot receive the bookings' events (API.md
-- "Which calendars count"): the provider's list says so, and it is kept with the choice.
-- Calendars listed before are taken as writable until the list is read again.
ALTER TABLE calendar_choices ADD COLUMN writable boolean NOT NULL DEFAULT true;
