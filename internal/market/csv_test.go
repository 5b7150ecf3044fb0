package market

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

// rows renders a series as "2006-01-02=close" lines, for comparison.
func rows(s *Series) string {
	var b strings.Builder
	for i, d := range s.Dates {
		fmt.Fprintf(&b, "%s=%g\n", d.Format(time.DateOnly), s.Closes[i])
	}
	return b.String()
}

func TestParseCSVShapes(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		column string // as in tickers.toml; "" picks close, price or the only column
		want   string
	}{
		{
			name: "yahoo: Close, not Adj Close",
			data: "Date,Open,High,Low,Close,Adj Close,Volume\n" +
				"2024-01-02,10,11,9,10.5,9.5,1000\n" +
				"2024-01-03,10.5,12,10,11.25,10.25,0\n",
			want: "2024-01-02=10.5\n2024-01-03=11.25\n",
		},
		{
			name: "yahoo, other column order, CRLF",
			data: "Date,Close,High,Low,Open,Volume\r\n" +
				"2024-01-02,10.5,11,9,10,1000\r\n" +
				"2024-01-03,11.25,12,10,10.5,2000\r\n",
			want: "2024-01-02=10.5\n2024-01-03=11.25\n",
		},
		{
			name: "yahoo: null rows are gaps",
			data: "Date,Open,High,Low,Close,Adj Close,Volume\n" +
				"2024-01-02,10,11,9,10.5,9.5,1000\n" +
				"2024-01-03,null,null,null,null,null,null\n" +
				"2024-01-04,10.5,12,10,11.25,10.25,1000\n",
			want: "2024-01-02=10.5\n2024-01-04=11.25\n",
		},
		{
			name: "lower-case headers",
			data: "date,open,high,low,close,volume\n" +
				"2024-01-02,10,11,9,10.5,1000\n",
			want: "2024-01-02=10.5\n",
		},
		{
			name: "leading unnamed index column",
			data: ",date,open,high,low,close,volume\n" +
				"0,1999-11-01,136.5,137.0,135.5625,135.5625,4006500.0\n" +
				"1,1999-11-02,135.9687,137.25,134.5937,134.5937,6516900.0\n",
			want: "1999-11-01=135.5625\n1999-11-02=134.5937\n",
		},
		{
			name: "unnamed date index",
			data: ",Close\n" +
				"2024-01-02,10.5\n",
			want: "2024-01-02=10.5\n",
		},
		{
			name: "FRED: the only value column, empty on holidays",
			data: "observation_date,SP500\n" +
				"2016-02-12,1864.78\n" +
				"2016-02-15,\n" +
				"2016-02-16,1895.58\n",
			want: "2016-02-12=1864.78\n2016-02-16=1895.58\n",
		},
		{
			name: "FRED: dots are gaps",
			data: "DATE,NASDAQCOM\n" +
				"2019-02-15,7472.41\n" +
				"2019-02-18,.\n" +
				"2019-02-19,7486.77\n",
			want: "2019-02-15=7472.41\n2019-02-19=7486.77\n",
		},
		{
			name: "CBOE: upper-case headers",
			data: "DATE,OPEN,HIGH,LOW,CLOSE\r\n" +
				"2026-02-10,17.470000,17.970000,17.140000,17.790000\r\n",
			want: "2026-02-10=17.79\n",
		},
		{
			name: "investing.com: BOM, quotes, MM/DD/YYYY, newest first, Price",
			data: "\uFEFF\"Date\",\"Price\",\"Open\",\"High\",\"Low\",\"Vol.\",\"Change %\"\n" +
				"\"07/14/2026\",\"4,769.83\",\"66.00\",\"66.20\",\"64.81\",\"\",\"-2.97%\"\n" +
				"\"07/13/2026\",\"66.99\",\"68.19\",\"68.19\",\"66.2\",\"\",\"+1.81%\"\n" +
				"\"12/31/1990\",\"18.22\",\"18.22\",\"18.22\",\"18.22\",\"\",\"\"\n",
			want: "1990-12-31=18.22\n2026-07-13=66.99\n2026-07-14=4769.83\n",
		},
		{
			name: "wide: the column named in tickers.toml",
			data: "Date,AAA,BBB,CCC\n" +
				"2024-01-02,1,20,\n" +
				"2024-01-03,2,,\n" +
				"2024-01-04,3,22,\n",
			column: "BBB",
			want:   "2024-01-02=20\n2024-01-04=22\n",
		},
		{
			name: "wide, date last, quoted (plotly)",
			data: "\"MSFT\",\"IBM\",\"Date\"\r\n" +
				"23.950705,80.517962,\"2007-01-03\"\r\n" +
				"23.910599,81.378851,\"2007-01-04\"\r\n",
			column: "ibm",
			want:   "2007-01-03=80.517962\n2007-01-04=81.378851\n",
		},
		{
			name: "explicit column beats close",
			data: "Date,Close,Adj Close\n" +
				"2024-01-02,10.5,9.5\n",
			column: "Adj Close",
			want:   "2024-01-02=9.5\n",
		},
		{
			name: "dates with a time and zone keep the calendar date",
			data: "Datetime,Close\n" +
				"2024-01-02 00:00:00-05:00,1\n" +
				"2024-01-03 23:30:00+09:00,2\n" +
				"2024-01-04T16:00:00Z,3\n" +
				"2024-01-05 16:00:00,4\n",
			want: "2024-01-02=1\n2024-01-03=2\n2024-01-04=3\n2024-01-05=4\n",
		},
		{
			name: "other date forms, rows out of order",
			data: "Date,Close\n" +
				"20240105,5\n" +
				"2024/01/02,2\n" +
				"\"Jan 4, 2024\",4\n" +
				"1/3/2024,3\n",
			want: "2024-01-02=2\n2024-01-03=3\n2024-01-04=4\n2024-01-05=5\n",
		},
		{
			name: "blank lines and padded cells",
			data: "Date , Close\n\n 2024-01-02 , 10.5 \n,\n",
			want: "2024-01-02=10.5\n",
		},
		{
			name: "bad cells in a column that is not used",
			data: "Date,Close,Volume,Direction\n" +
				"2024-01-02,10.5,0,Increasing\n",
			want: "2024-01-02=10.5\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ParseCSV("p.csv", []byte(tt.data))
			if err != nil {
				t.Fatalf("ParseCSV(%q): %v", tt.data, err)
			}
			s, err := tab.Series("X", tt.column)
			if err != nil {
				t.Fatalf("Series(%q) of %q: %v", tt.column, tt.data, err)
			}
			if got := rows(s); got != tt.want {
				t.Errorf("ParseCSV(%q) column %q:\ngot\n%s\nwant\n%s", tt.data, tt.column, got, tt.want)
			}
			if s.Symbol != "X" || s.File != "p.csv" {
				t.Errorf("Series Symbol, File = %q, %q; want X, p.csv", s.Symbol, s.File)
			}
			for _, d := range s.Dates {
				if d.Location() != time.UTC || d.Hour() != 0 {
					t.Errorf("date %v: want UTC midnight", d)
				}
			}
		})
	}
}

func TestParseCSVTable(t *testing.T) {
	data := "\uFEFF\"Date\",\"Price\",\"Vol.\"\n" +
		"\"01/03/2024\",\"2\",\"\"\n" +
		"\"01/02/2024\",\"1\",\"\"\n"
	tab, err := ParseCSV("s.csv", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(tab.ColumnNames(), ","), "Price,Vol."; got != want {
		t.Errorf("columns = %s, want %s", got, want)
	}
	if tab.DateColumn != "Date" {
		t.Errorf("DateColumn = %q, want Date", tab.DateColumn)
	}
	if got, want := fmt.Sprint(tab.Lines), "[3 2]"; got != want {
		t.Errorf("Lines = %s, want %s (source lines in date order)", got, want)
	}
	if v := tab.Column("vol.").Values; len(v) != 2 || !math.IsNaN(v[0]) {
		t.Errorf("Vol. values = %v, want two gaps", v)
	}
}

func TestParseCSVErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{
			name: "a header of megabytes",
			data: "Day," + strings.Repeat("x", 10<<20) + "\n2024-01-02,1\n",
			want: "p.csv:1: no date column in header (Day, " + strings.Repeat("x", 195) + "... (10485565 more bytes)): expected one named Date or observation_date",
		},
		{
			name: "dates out of market history",
			data: "Date,Close\n0001-01-01,1\n9999-12-31,2\n2024-01-02,3\n",
			want: "p.csv:2:1: Date \"0001-01-01\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:3:1: Date \"9999-12-31\": expected a date such as 2006-01-02 or 01/02/2006",
		},
		{
			name: "a header of too many columns",
			data: "Date" + strings.Repeat(",C", 20000) + "\n2024-01-02" + strings.Repeat(",1", 20000) + "\n",
			want: "p.csv:1: header of 20001 columns; a price file may have at most 10000: is it the right file?",
		},
		{
			name: "empty file",
			data: "",
			want: "p.csv:1: empty file: expected a header row such as Date,Close",
		},
		{
			name: "no date column",
			data: "Symbol,Security,Date added\nMMM,3M,1957-03-04\n",
			want: "p.csv:1: no date column in header (Symbol, Security, Date added): expected one named Date or observation_date",
		},
		{
			name: "unnamed first column without dates",
			data: ",Close\n0,1\n",
			want: "p.csv:1: no date column in header (, Close): expected one named Date or observation_date",
		},
		{
			name: "unparsable date",
			data: "Date,Close\n2024-01-02,1\n2024-13-01,2\nsoon,3\n",
			want: "p.csv:3:1: Date \"2024-13-01\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:4:1: Date \"soon\": expected a date such as 2006-01-02 or 01/02/2006",
		},
		{
			name: "impossible date, bad time of day",
			data: "Date,Close\n02/30/2024,1\n2024-01-02 noon,2\n",
			want: "p.csv:2:1: Date \"02/30/2024\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:3:1: Date \"2024-01-02 noon\": expected a date such as 2006-01-02 or 01/02/2006",
		},
		{
			name: "duplicate date",
			data: "Date,Close\n2024-01-02,1\n2024-01-03,2\n2024-01-02,3\n",
			want: "p.csv:4: duplicate date 2024-01-02: already on line 2",
		},
		{
			name: "duplicate date, newest first, another form",
			data: "Date,Close\n01/03/2024,1\n2024-01-03,2\n01/02/2024,3\n",
			want: "p.csv:3: duplicate date 2024-01-03: already on line 2",
		},
		{
			name: "ragged rows",
			data: "Date,Open,Close\n2024-01-02,1,2\n2024-01-03,1\n2024-01-04,1,2,3\n",
			want: "p.csv:3: row has 2 fields: expected 3, one per header column\n" +
				"p.csv:4: row has 4 fields: expected 3, one per header column",
		},
		{
			name: "duplicate column",
			data: "Date,Close,Close\n2024-01-02,1,2\n",
			want: "p.csv:1: column \"Close\" appears twice (fields 2 and 3): expected unique column names",
		},
		{
			name: "broken quoting",
			data: "Date,Close\n2024-01-02,\"1\n",
			want: "p.csv:2:15: invalid CSV: extraneous or missing \" in quoted-field",
		},
		{
			name: "too many errors",
			data: "Date,Close\n" + strings.Repeat("x,1\n", 12),
			want: "p.csv:2:1: Date \"x\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:3:1: Date \"x\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:4:1: Date \"x\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:5:1: Date \"x\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:6:1: Date \"x\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:7:1: Date \"x\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:8:1: Date \"x\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:9:1: Date \"x\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:10:1: Date \"x\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:11:1: Date \"x\": expected a date such as 2006-01-02 or 01/02/2006\n" +
				"p.csv:12: too many errors: stopped reading",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCSV("p.csv", []byte(tt.data))
			if err == nil {
				t.Fatalf("ParseCSV(%.200q): no error, want\n%s", tt.data, tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("ParseCSV(%.200q):\ngot\n%.1000s\nwant\n%.1000s", tt.data, got, tt.want)
			}
		})
	}
}

func TestSeriesErrors(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		column string
		want   string
	}{
		{
			name: "unparsable number",
			data: "Date,Close\n2024-01-02,1\n2024-01-03,1.2.3\n2024-01-04,n/a\n",
			want: "p.csv:3:12: Close \"1.2.3\": expected a number\n" +
				"p.csv:4:12: Close \"n/a\": expected a number",
		},
		{
			name: "not finite",
			data: "Date,Close\n2024-01-02,NaN\n2024-01-03,Inf\n",
			want: "p.csv:2:12: Close \"NaN\": expected a number\n" +
				"p.csv:3:12: Close \"Inf\": expected a number",
		},
		{
			name: "bad thousands separators",
			data: "Date,Price\n2024-01-02,\"1,23\"\n",
			want: "p.csv:2:12: Price \"1,23\": expected a number",
		},
		{
			name: "Go number syntax",
			data: "Date,Close\n2024-01-02,1_000\n2024-01-03,0x1p3\n2024-01-04,1\n",
			want: "p.csv:2:12: Close \"1_000\": expected a number\n" +
				"p.csv:3:12: Close \"0x1p3\": expected a number",
		},
		{
			name: "implausible prices",
			data: "Date,Close\n2024-01-02,1e308\n2024-01-03,5e-324\n2024-01-04,1e309\n2024-01-05,1\n",
			want: "p.csv:2:12: Close 1e308: expected a price between 1e-08 and 1e+12; a value this far out is a fault of the file\n" +
				"p.csv:3:12: Close 5e-324: expected a price between 1e-08 and 1e+12; a value this far out is a fault of the file\n" +
				`p.csv:4:12: Close "1e309": expected a number`,
		},
		{
			name: "non-positive prices",
			data: "Date,Close\n2024-01-02,0\n2024-01-03,-1.5\n2024-01-04,1\n",
			want: "p.csv:2:12: Close 0: expected a positive price\n" +
				"p.csv:3:12: Close -1.5: expected a positive price",
		},
		{
			name:   "a bad value in a wide column",
			data:   "Date,AAA,BBB\n2024-01-02,1,x\n",
			column: "BBB",
			want:   "p.csv:2:14: BBB \"x\": expected a number",
		},
		{
			name: "many bad values",
			data: "Date,Close\n" +
				func() string {
					var b strings.Builder
					for d := 13; d >= 1; d-- { // newest first: reordered after the checks
						fmt.Fprintf(&b, "2024-01-%02d,0\n", d)
					}
					return b.String()
				}(),
			want: func() string {
				var b strings.Builder
				for line := 2; line <= 11; line++ {
					fmt.Fprintf(&b, "p.csv:%d:12: Close 0: expected a positive price\n", line)
				}
				b.WriteString("p.csv:11:12: and 3 more bad values in column Close after this line")
				return b.String()
			}(),
		},
		{
			name: "several value columns, none close or price",
			data: "Date,AAA,BBB\n2024-01-02,1,2\n",
			want: "p.csv:1: no Close or Price column among AAA, BBB: expected column = one of them in tickers.toml",
		},
		{
			name: "no value column",
			data: ",Date\n0,2024-01-02\n",
			want: "p.csv:1: no value column: expected a column such as Close next to Date",
		},
		{
			name:   "named column missing",
			data:   "Date,AAPL,MSFT\n2024-01-02,1,2\n",
			column: "APPL",
			want:   "p.csv:1: no column \"APPL\": expected one of AAPL, MSFT (did you mean \"AAPL\"?)",
		},
		{
			name: "no values at all",
			data: "observation_date,SP500\n2016-02-15,\n2016-02-16,.\n",
			want: "p.csv:1: column SP500 has no values: expected at least one price",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ParseCSV("p.csv", []byte(tt.data))
			if err != nil {
				t.Fatalf("ParseCSV(%q): %v", tt.data, err)
			}
			_, err = tab.Series("X", tt.column)
			if err == nil {
				t.Fatalf("Series(%q) of %q: no error, want\n%s", tt.column, tt.data, tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Series(%q) of %q:\ngot\n%s\nwant\n%s", tt.column, tt.data, got, tt.want)
			}
		})
	}
}

// BenchmarkParseCSV measures CSV throughput on the longest real file, or on
// a generated file of the same shape when ../shared is absent.
func BenchmarkParseCSV(b *testing.B) {
	data, err := os.ReadFile(realDir + "/guydekowski-market-lab/GSPC.csv")
	if err != nil {
		var sb strings.Builder
		sb.WriteString("date,open,high,low,close,volume\n")
		day := time.Date(1928, 1, 3, 0, 0, 0, 0, time.UTC)
		for i := range 25000 {
			p := 17.66 * math.Exp(float64(i)*0.0003)
			fmt.Fprintf(&sb, "%s,%v,%v,%v,%v,%d\n", day.Format(time.DateOnly), p, p*1.01, p*0.99, p*1.001, 1000000+i)
			day = day.AddDate(0, 0, 1)
		}
		data = []byte(sb.String())
		b.Logf("%s absent: using %d generated bytes", realDir, len(data))
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseCSV("GSPC.csv", data); err != nil {
			b.Fatal(err)
		}
	}
}
