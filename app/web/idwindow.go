package web

// idWindowSize is how many of the newest event IDs a stream remembers.
const idWindowSize = 4096

// idWindow is the set of event IDs a stream has written, for the newest
// idWindowSize of them: a bitmap of 512 bytes instead of a map, since a
// thousand streams each hold one. IDs older than the window count as
// written: a stream only sees them again in a replay that looks back
// further than that, and the page keeps one element per message and row.
type idWindow struct {
	top  int64 // the highest ID added
	bits [idWindowSize / 64]uint64
}

// has reports whether id was added, or is older than the window.
func (w *idWindow) has(id int64) bool {
	if id > w.top {
		return false
	}
	if id <= w.top-idWindowSize {
		return true
	}
	slot := uint64(id) % idWindowSize
	return w.bits[slot/64]&(1<<(slot%64)) != 0
}

// add marks id as written; a new highest ID first clears the slots it
// reuses.
func (w *idWindow) add(id int64) {
	if id > w.top {
		if id-w.top >= idWindowSize {
			w.bits = [idWindowSize / 64]uint64{}
		} else {
			for old := w.top + 1; old <= id; old++ {
				slot := uint64(old) % idWindowSize
				w.bits[slot/64] &^= 1 << (slot % 64)
			}
		}
		w.top = id
	}
	if id > w.top-idWindowSize {
		slot := uint64(id) % idWindowSize
		w.bits[slot/64] |= 1 << (slot % 64)
	}
}
