package sse

// IDWindowSize is how many of the newest event IDs a stream remembers.
const IDWindowSize = 4096

// IDWindow is the set of event IDs a stream has written, for the newest
// IDWindowSize of them: a bitmap of 512 bytes instead of a map, since a
// thousand streams each hold one. IDs older than the window count as
// written: a stream only sees them again in a replay that looks back
// further than that, and the page keeps one element per message and row.
type IDWindow struct {
	top  int64 // the highest ID added
	bits [IDWindowSize / 64]uint64
}

// Has reports whether id was added, or is older than the window.
func (w *IDWindow) Has(id int64) bool {
	if id > w.top {
		return false
	}
	if id <= w.top-IDWindowSize {
		return true
	}
	slot := uint64(id) % IDWindowSize
	return w.bits[slot/64]&(1<<(slot%64)) != 0
}

// Add marks id as written; a new highest ID first clears the slots it
// reuses.
func (w *IDWindow) Add(id int64) {
	if id > w.top {
		if id-w.top >= IDWindowSize {
			w.bits = [IDWindowSize / 64]uint64{}
		} else {
			for old := w.top + 1; old <= id; old++ {
				slot := uint64(old) % IDWindowSize
				w.bits[slot/64] &^= 1 << (slot % 64)
			}
		}
		w.top = id
	}
	if id > w.top-IDWindowSize {
		slot := uint64(id) % IDWindowSize
		w.bits[slot/64] |= 1 << (slot % 64)
	}
}
