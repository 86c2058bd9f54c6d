package shipping

import "testing"

func TestParseTag(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Tag
		ok   bool
	}{
		{"InTransit", InTransit, true},
		{" intransit ", InTransit, true},
		{"DELIVERED", Delivered, true},
		{"AvailableForPickup", AvailableForPickup, true},
		{"Expired", Expired, true},
		{"", "", false},
		{"In Transit", "", false},
		{"Delivered_004", "", false},
	} {
		got, ok := ParseTag(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseTag(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestRankOrdersTheWay(t *testing.T) {
	way := []Tag{Pending, InfoReceived, InTransit, OutForDelivery, Delivered}
	for i := 1; i < len(way); i++ {
		if way[i-1].Rank() >= way[i].Rank() {
			t.Errorf("%s (%d) is not before %s (%d)", way[i-1], way[i-1].Rank(), way[i], way[i].Rank())
		}
	}
	for _, tag := range []Tag{AttemptFail, Exception, AvailableForPickup, Expired} {
		if tag.Rank() <= InTransit.Rank() || tag.Rank() >= Delivered.Rank() {
			t.Errorf("%s ranks %d: outside (InTransit, Delivered)", tag, tag.Rank())
		}
	}
	if Tag("Lost").Rank() != -1 {
		t.Error("an unknown tag has a rank")
	}
	if len(ranks) != 9 {
		t.Errorf("%d tags; AfterShip has nine", len(ranks))
	}
}

func TestTerminal(t *testing.T) {
	for tag := range ranks {
		want := tag == Delivered || tag == Expired
		if tag.Terminal() != want {
			t.Errorf("%s.Terminal() = %v", tag, !want)
		}
	}
}

func TestIsDelaySubtag(t *testing.T) {
	for _, c := range []struct {
		subtag string
		want   bool
	}{
		{"Exception_004", true},
		{"Exception_005", true},
		{"Exception_016", true},
		{"Exception_017", true},
		{"InTransit_003", false},
		{"Exception_002", false}, // customer moved
		{"Exception_003", false}, // refused
		{"Delivered_004", false},
		{"", false},
	} {
		if got := IsDelaySubtag(c.subtag); got != c.want {
			t.Errorf("IsDelaySubtag(%q) = %v", c.subtag, got)
		}
	}
}
