package store

// SchemaVersion is the SQLite schema version this binary brings a database
// to: the number of its embedded migrations. `flowgate version` reports it
// so that an operator can tell which binaries can open which database (a
// database newer than the binary is refused).
func SchemaVersion() int { return len(migrations) }
