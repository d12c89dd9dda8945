package store

import "time"

// timeFormat is fixed-width UTC so that timestamps sort as text in SQL.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// formatTime renders t for the database.
func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// parseTime reads a timestamp written by formatTime.
func parseTime(s string) (time.Time, error) { return time.Parse(timeFormat, s) }

// now is the clock every write uses; a variable so tests can pin it.
var now = func() time.Time { return time.Now().UTC() }
