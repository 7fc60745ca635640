package data

// FieldType says what JSON a synced field holds, and so how the store keeps
// it in its SQLite column and how an imported value is checked.
type FieldType int

const (
	TextField FieldType = iota // JSON string  ↔ TEXT
	IntField                   // JSON number  ↔ INTEGER
	RealField                  // JSON number  ↔ REAL
	BoolField                  // JSON boolean ↔ INTEGER 0/1
	ListField                  // JSON array   ↔ TEXT holding the array
)
