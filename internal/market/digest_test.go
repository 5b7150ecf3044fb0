package market

import "testing"

func TestDigest(t *testing.T) {
	asof := d("2025-06-30")
	base := fixture().Digest(asof)
	if fixture().Digest(asof) != base {
		t.Fatal("the same data gives two digests")
	}
	if fixture().Digest(d("2025-06-30").Add(15*3600e9)) != base {
		t.Error("the time of day changes the digest")
	}
	if fixture().Digest(d("2025-07-01")) == base {
		t.Error("a later as-of with a new row gives the same digest")
	}
	// 2025-07-04 is a holiday for A and B, but C trades: the views differ.
	if fixture().Digest(d("2025-07-05")) == fixture().Digest(d("2025-07-04")) {
		t.Error("a crypto row on a holiday does not change the digest")
	}
	change := map[string]func(u *Universe){
		"close before asof": func(u *Universe) { u.Symbols["B"].Series.Closes[10] *= 1.0001 },
		"close on asof": func(u *Universe) {
			s := u.Symbols["A"].Series
			for i, t := range s.Dates {
				if t.Equal(asof) {
					s.Closes[i] += 0.01
				}
			}
		},
		"row removed before asof": func(u *Universe) {
			s := u.Symbols["A"].Series
			s.Dates, s.Closes = append(s.Dates[:5:5], s.Dates[6:]...), append(s.Closes[:5:5], s.Closes[6:]...)
		},
		"open before asof":   func(u *Universe) { u.Symbols["A"].Series.Opens[10] *= 1.0001 },
		"volume before asof": func(u *Universe) { u.Symbols["A"].Series.Volumes[10]++ },
		"name":               func(u *Universe) { u.Symbols["A"].Name["zh"] = "别名" },
		"kind":               func(u *Universe) { u.Symbols["C"].Kind = "crypto" },
		"group":              func(u *Universe) { u.Groups["G"].Members = u.Groups["G"].Members[:2] },
		"note":               func(u *Universe) { u.Note = map[string]string{"en": "sample"} },
		"symbol":             func(u *Universe) { delete(u.Symbols, "C") },
	}
	for name, f := range change {
		u := fixture()
		f(u)
		if u.Digest(asof) == base {
			t.Errorf("%s: the digest did not change", name)
		}
	}
	same := map[string]func(u *Universe){
		"close after asof": func(u *Universe) {
			s := u.Symbols["A"].Series
			s.Closes[len(s.Closes)-1] *= 2
		},
		"rows cut after asof": func(u *Universe) {
			for _, sym := range u.Symbols {
				s := sym.Series
				n := 0
				for n < len(s.Dates) && !s.Dates[n].After(asof) {
					n++
				}
				s.Dates, s.Closes = s.Dates[:n], s.Closes[:n]
			}
		},
	}
	for name, f := range same {
		u := fixture()
		f(u)
		if u.Digest(asof) != base {
			t.Errorf("%s: the digest changed", name)
		}
	}
}
