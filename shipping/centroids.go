package shipping

// centroid is one row of the small place table shipping ships with.
type centroid struct {
	country     string
	city        string
	aliases     []string
	postal      []string // postal-code prefixes within the country
	countryWide bool     // a city-state: any address in the country
	lat, lng    float64
}

// centroids are approximate city centres for addresses that come without coordinates. Postal
// prefixes are listed only where a city's range is well known; otherwise the city name decides.
var centroids = []centroid{
	// Thailand
	{country: "TH", city: "Bangkok", aliases: []string{"Krung Thep", "Krung Thep Maha Nakhon", "BKK"}, postal: []string{"10"}, lat: 13.7563, lng: 100.5018},
	{country: "TH", city: "Nonthaburi", postal: []string{"11"}, lat: 13.8621, lng: 100.5144},
	{country: "TH", city: "Chiang Mai", postal: []string{"50"}, lat: 18.7883, lng: 98.9853},
	{country: "TH", city: "Chiang Rai", postal: []string{"57"}, lat: 19.9105, lng: 99.8406},
	{country: "TH", city: "Phuket", postal: []string{"83"}, lat: 7.8804, lng: 98.3923},
	{country: "TH", city: "Khon Kaen", postal: []string{"40"}, lat: 16.4322, lng: 102.8236},
	{country: "TH", city: "Pattaya", aliases: []string{"Chon Buri", "Chonburi"}, postal: []string{"20"}, lat: 12.9236, lng: 100.8825},
	{country: "TH", city: "Hat Yai", aliases: []string{"Songkhla"}, postal: []string{"90"}, lat: 7.0084, lng: 100.4747},
	{country: "TH", city: "Nakhon Ratchasima", aliases: []string{"Korat"}, postal: []string{"30"}, lat: 14.9799, lng: 102.0978},
	{country: "TH", city: "Udon Thani", postal: []string{"41"}, lat: 17.4138, lng: 102.7870},
	// Indonesia
	{country: "ID", city: "Jakarta", aliases: []string{"DKI Jakarta", "Jakarta Pusat", "Jakarta Selatan", "Jakarta Barat", "Jakarta Timur", "Jakarta Utara"}, postal: []string{"10", "11", "12", "13", "14"}, lat: -6.2088, lng: 106.8456},
	{country: "ID", city: "Tangerang", postal: []string{"15"}, lat: -6.1783, lng: 106.6319},
	{country: "ID", city: "Bogor", postal: []string{"161"}, lat: -6.5950, lng: 106.8166},
	{country: "ID", city: "Depok", postal: []string{"164"}, lat: -6.4025, lng: 106.7942},
	{country: "ID", city: "Bekasi", postal: []string{"17"}, lat: -6.2383, lng: 106.9756},
	{country: "ID", city: "Bandung", postal: []string{"40"}, lat: -6.9175, lng: 107.6191},
	{country: "ID", city: "Surabaya", postal: []string{"60"}, lat: -7.2575, lng: 112.7521},
	{country: "ID", city: "Semarang", postal: []string{"50"}, lat: -6.9667, lng: 110.4167},
	{country: "ID", city: "Yogyakarta", aliases: []string{"Jogja", "Jogjakarta"}, postal: []string{"55"}, lat: -7.7956, lng: 110.3695},
	{country: "ID", city: "Medan", postal: []string{"20"}, lat: 3.5952, lng: 98.6722},
	{country: "ID", city: "Palembang", postal: []string{"30"}, lat: -2.9761, lng: 104.7754},
	{country: "ID", city: "Denpasar", aliases: []string{"Bali"}, postal: []string{"80"}, lat: -8.6705, lng: 115.2126},
	{country: "ID", city: "Makassar", postal: []string{"90"}, lat: -5.1477, lng: 119.4327},
	{country: "ID", city: "Balikpapan", postal: []string{"76"}, lat: -1.2379, lng: 116.8529},
	// Vietnam
	{country: "VN", city: "Ho Chi Minh City", aliases: []string{"Hồ Chí Minh", "Thành phố Hồ Chí Minh", "TP Hồ Chí Minh", "TP HCM", "HCMC", "Saigon", "Sài Gòn", "Ho Chi Minh"}, postal: []string{"70", "71", "72", "73", "74"}, lat: 10.8231, lng: 106.6297},
	{country: "VN", city: "Hanoi", aliases: []string{"Hà Nội", "Ha Noi"}, postal: []string{"10", "11", "12", "13", "14"}, lat: 21.0285, lng: 105.8542},
	{country: "VN", city: "Da Nang", aliases: []string{"Đà Nẵng", "Danang"}, lat: 16.0544, lng: 108.2022},
	{country: "VN", city: "Hai Phong", aliases: []string{"Hải Phòng", "Haiphong"}, lat: 20.8449, lng: 106.6881},
	{country: "VN", city: "Can Tho", aliases: []string{"Cần Thơ"}, lat: 10.0452, lng: 105.7469},
	{country: "VN", city: "Nha Trang", lat: 12.2388, lng: 109.1967},
	{country: "VN", city: "Hue", aliases: []string{"Huế"}, lat: 16.4637, lng: 107.5909},
	// Philippines
	{country: "PH", city: "Manila", aliases: []string{"City of Manila"}, postal: []string{"10"}, lat: 14.5995, lng: 120.9842},
	{country: "PH", city: "Quezon City", postal: []string{"11"}, lat: 14.6760, lng: 121.0437},
	{country: "PH", city: "Makati", aliases: []string{"Makati City"}, postal: []string{"12"}, lat: 14.5547, lng: 121.0244},
	{country: "PH", city: "Pasig", aliases: []string{"Pasig City"}, postal: []string{"160", "161"}, lat: 14.5764, lng: 121.0851},
	{country: "PH", city: "Taguig", aliases: []string{"Taguig City", "BGC"}, postal: []string{"163"}, lat: 14.5176, lng: 121.0509},
	{country: "PH", city: "Cebu City", aliases: []string{"Cebu"}, postal: []string{"600"}, lat: 10.3157, lng: 123.8854},
	{country: "PH", city: "Davao City", aliases: []string{"Davao"}, postal: []string{"80"}, lat: 7.1907, lng: 125.4553},
	{country: "PH", city: "Iloilo City", aliases: []string{"Iloilo"}, postal: []string{"50"}, lat: 10.7202, lng: 122.5621},
	{country: "PH", city: "Cagayan de Oro", postal: []string{"900"}, lat: 8.4542, lng: 124.6319},
	{country: "PH", city: "Baguio", aliases: []string{"Baguio City"}, postal: []string{"26"}, lat: 16.4023, lng: 120.5960},
	// Malaysia
	{country: "MY", city: "Kuala Lumpur", aliases: []string{"KL", "Wilayah Persekutuan Kuala Lumpur"}, postal: []string{"50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60"}, lat: 3.1390, lng: 101.6869},
	{country: "MY", city: "Petaling Jaya", aliases: []string{"PJ"}, postal: []string{"46", "47"}, lat: 3.1073, lng: 101.6067},
	{country: "MY", city: "Shah Alam", postal: []string{"40"}, lat: 3.0733, lng: 101.5185},
	{country: "MY", city: "George Town", aliases: []string{"Penang", "Pulau Pinang", "Georgetown"}, postal: []string{"10", "11"}, lat: 5.4141, lng: 100.3288},
	{country: "MY", city: "Johor Bahru", aliases: []string{"JB", "Johor Baharu"}, postal: []string{"80", "81"}, lat: 1.4927, lng: 103.7414},
	{country: "MY", city: "Ipoh", postal: []string{"30", "31"}, lat: 4.5975, lng: 101.0901},
	{country: "MY", city: "Malacca", aliases: []string{"Melaka"}, postal: []string{"75"}, lat: 2.1896, lng: 102.2501},
	{country: "MY", city: "Kota Kinabalu", postal: []string{"88"}, lat: 5.9804, lng: 116.0735},
	{country: "MY", city: "Kuching", postal: []string{"93"}, lat: 1.5535, lng: 110.3593},
	// City-states and capitals
	{country: "SG", city: "Singapore", countryWide: true, lat: 1.3521, lng: 103.8198},
	{country: "BN", city: "Bandar Seri Begawan", lat: 4.9031, lng: 114.9398},
	{country: "KH", city: "Phnom Penh", postal: []string{"12"}, lat: 11.5564, lng: 104.9282},
	{country: "LA", city: "Vientiane", lat: 17.9757, lng: 102.6331},
	{country: "MM", city: "Yangon", aliases: []string{"Rangoon"}, postal: []string{"11"}, lat: 16.8409, lng: 96.1735},
}
