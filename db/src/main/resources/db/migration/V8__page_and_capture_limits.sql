-- Limits on what the public collector may cause: new pages per site and hour are counted by page.first_seen, and
-- automatic captures per site and hour by capture.requested_at. Both counts read only the last hour of one site.
--
-- Pages stored before page URLs were normalized (RFC 3986) keep their rows and URLs: a row cannot be renamed onto
-- its normal form when that page exists too without merging every aggregate table keyed by page_id, and browsers
-- send URLs that are already normal in almost every case (see docs/COLLECT-API.md, "Page URLs").
CREATE INDEX page_first_seen ON page (site_id, first_seen);
CREATE INDEX capture_first_events_recent ON capture (site_id, requested_at) WHERE requested_by = 'first-events';
