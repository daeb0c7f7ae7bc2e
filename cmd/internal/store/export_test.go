package store

// SetOptimisticTries makes Add and Redecide decide under the lock after n
// optimistic tries (0: always), for tests of that path.
func SetOptimisticTries(n int) (restore func()) {
	old := optimisticTries
	optimisticTries = n
	return func() { optimisticTries = old }
}

// SetSQLiteWriteOptions replaces the options of the SQLite write
// connection, for tests of settings that the store must refuse.
func SetSQLiteWriteOptions(o string) (restore func()) {
	old := sqliteWriteOptions
	sqliteWriteOptions = o
	return func() { sqliteWriteOptions = old }
}

// SQLiteWriteOptions are the options of the SQLite write connection.
const SQLiteWriteOptions = sqliteWrite

// Transient reports whether OpenWith retries err.
var Transient = transient

// ConnectError makes err a failure to connect, as the store reports one.
func ConnectError(err error) error { return &connectError{err.Error(), err} }
