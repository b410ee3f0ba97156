package sse

import "testing"

func TestIDWindow(t *testing.T) {
	tests := []struct {
		name string
		add  []int64
		has  map[int64]bool
	}{
		{"empty", nil, map[int64]bool{1: false, 5000: false}},
		{"in order", []int64{1, 2, 3}, map[int64]bool{1: true, 3: true, 4: false}},
		{"a gap stays open", []int64{10, 12}, map[int64]bool{10: true, 11: false, 12: true}},
		{"out of order", []int64{20, 18}, map[int64]bool{18: true, 19: false, 20: true}},
		{"reused slots are cleared", []int64{5, 5 + IDWindowSize - 1}, map[int64]bool{5: true, 6: false, 5 + IDWindowSize - 1: true}},
		{"older than the window counts as written", []int64{1, 3 * IDWindowSize}, map[int64]bool{2: true, 2 * IDWindowSize: true, 3*IDWindowSize - 1: false}},
		{"a jump past the window clears it", []int64{IDWindowSize + 1, 3*IDWindowSize + 1}, map[int64]bool{IDWindowSize + 1: true, 3*IDWindowSize - 5: false, 3*IDWindowSize + 1: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w IDWindow
			for _, id := range tt.add {
				w.Add(id)
			}
			for id, want := range tt.has {
				if got := w.Has(id); got != want {
					t.Errorf("has(%d)=%v, want %v", id, got, want)
				}
			}
		})
	}
}
