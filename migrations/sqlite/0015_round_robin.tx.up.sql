-- Round-robin: new conversations go to the person marked available who
-- was given one longest ago (never first).
ALTER TABLE users ADD COLUMN available BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN last_assigned_at TIMESTAMP;
