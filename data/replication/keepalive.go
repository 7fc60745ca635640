package replication

import (
	"net/http"
	"sync"
	"time"
)

// stillWorking is a sync's ResponseWriter while the hub works on it
// (imports, then makes the reply): every lim.KeepAlive it answers 102
// Processing, which the device's StallTransport counts as the hub moving,
// so a long import is not taken for a hub that stopped answering. The
// first use of the real answer (Header, WriteHeader, Write) stops it
// first: a 1xx carries the headers set so far, which only the handler
// may touch.
type stillWorking struct {
	http.ResponseWriter
	rc         *http.ResponseController
	stop, done chan struct{}
	once       sync.Once
}

func keepAnswering(w http.ResponseWriter, lim Limits) *stillWorking {
	rc := http.NewResponseController(w)
	s := &stillWorking{ResponseWriter: w, rc: rc, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(lim.KeepAlive)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
			// A device that stopped reading must not hold this
			// goroutine, nor the answer waiting for it.
			rc.SetWriteDeadline(time.Now().Add(lim.Grace))
			w.WriteHeader(http.StatusProcessing)
		}
	}()
	return s
}

// halt stops the 102s and waits for the last to be written; the answer
// is not held to the last 102's write deadline.
func (s *stillWorking) halt() {
	s.once.Do(func() {
		close(s.stop)
		<-s.done
		s.rc.SetWriteDeadline(time.Time{})
	})
}

func (s *stillWorking) Header() http.Header {
	s.halt()
	return s.ResponseWriter.Header()
}

func (s *stillWorking) WriteHeader(code int) {
	s.halt()
	s.ResponseWriter.WriteHeader(code)
}

func (s *stillWorking) Write(p []byte) (int, error) {
	s.halt()
	return s.ResponseWriter.Write(p)
}

// Unwrap lets an http.ResponseController reach the connection.
func (s *stillWorking) Unwrap() http.ResponseWriter { return s.ResponseWriter }
