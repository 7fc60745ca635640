//go:build ci

package store

// kdfWorkFactor is cheap in the test build (tag ci), whose end-to-end
// tests run hundreds of verbs, each unlocking once; the window and
// command line people run are built without ci and use
// productionWorkFactor. BenchmarkUnlock measures the production factor.
const kdfWorkFactor = 10
