package store

// SetOptimisticTries makes Add and Redecide decide under the lock after n
// optimistic tries (0: always), for tests of that path.
func SetOptimisticTries(n int) (restore func()) {
	old := optimisticTries
	optimisticTries = n
	return func() { optimisticTries = old }
}
