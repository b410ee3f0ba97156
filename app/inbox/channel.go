package inbox

import (
	"context"
	"slices"
)

// Channel is one of our numbers as the team sees it: an inbox with a name.
type Channel struct {
	Number Number
	// Name is the inbox's name ("Support"); the number, formatted, when
	// none was given.
	Name string
}

// channelSet is our numbers as last read: PLIVO_PHONE_NUMBER's, then the
// database's (those connected on the Plivo screen). It is replaced whole,
// never changed.
type channelSet struct {
	numbers []Number
	names   map[Number]string
}

// channels is the current set; the configured numbers alone until the
// first RefreshChannels.
func (s *Service) channels() *channelSet {
	if c := s.channelSet.Load(); c != nil {
		return c
	}
	return &channelSet{numbers: s.numbers, names: s.names}
}

// RefreshChannels rereads the numbers connected on the Plivo screen and
// makes the inboxes the configured numbers followed by those, in the order
// they were added. A number in both is one inbox in the configured place;
// the name given on the screen wins over PLIVO_PHONE_NUMBER's, as the
// later choice. The server calls it at start, after each connect, and
// every second, so another instance's connect shows within a second.
//
// Errors: EUNAVAILABLE when the store fails; the set stays as it was.
func (s *Service) RefreshChannels(ctx context.Context) error {
	if s.inboxNumbers == nil {
		return nil
	}
	stored, err := s.inboxNumbers.InboxNumbers(ctx)
	if err != nil {
		return unavailable(err)
	}
	set := &channelSet{numbers: slices.Clone(s.numbers), names: make(map[Number]string, len(s.names)+len(stored))}
	for n, name := range s.names {
		set.names[n] = name
	}
	for _, in := range stored {
		if !slices.Contains(set.numbers, in.Number) {
			set.numbers = append(set.numbers, in.Number)
		}
		if in.Name != "" {
			set.names[in.Number] = in.Name
		}
	}
	s.channelSet.Store(set)
	return nil
}

// Channels returns our numbers as inboxes, configured ones first.
func (s *Service) Channels() []Channel {
	set := s.channels()
	out := make([]Channel, len(set.numbers))
	for i, n := range set.numbers {
		out[i] = Channel{Number: n, Name: s.ChannelName(n)}
	}
	return out
}

// ChannelName is the name of the inbox n is: its configured name, or the
// number formatted.
func (s *Service) ChannelName(n Number) string {
	if name := s.channels().names[n]; name != "" {
		return name
	}
	return n.Display()
}

// Numbers returns our sending numbers.
func (s *Service) Numbers() []Number { return slices.Clone(s.channels().numbers) }
