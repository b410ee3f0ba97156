-- The reports screen measures resolution time from the closes of a
-- period: this index finds them by kind and time without reading the
-- conversations' other activity lines.
CREATE INDEX conversation_activity_kind ON conversation_activity (kind, at, conversation_id);
