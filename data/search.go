package data

// Hit is one search result.
type Hit struct {
	Kind    Kind   `json:"kind"`
	ID      string `json:"id"`
	Title   string `json:"title"`
	Snippet string `json:"snippet"`
	When    string `json:"when"` // the record's own date or time
	Posting string `json:"posting,omitempty"`
	// The record's marking, so a screen of hits can carry its banner.
	Classification string   `json:"classification,omitempty"`
	Releasability  []string `json:"releasability,omitempty"`

	// Rank orders hits of several kinds together; never shown or sent.
	Rank float64 `json:"-"`
}

// SearchOptions tune Search.
type SearchOptions struct {
	Limit  int       // hits to return; default 50
	Raw    bool      // the query is FTS5 syntax (AND, OR, NEAR, "phrases", prefix*)
	Prefix bool      // search as you type: the last word may be a prefix; newest first
	Kinds  []Kind    // restrict to these kinds; all when empty
	Mark   [2]string // around matched words in snippets; default « »
}
