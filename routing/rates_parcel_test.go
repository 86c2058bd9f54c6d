package routing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHeavyShipmentsArePricedAsSeveralParcels(t *testing.T) {
	r := DefaultRates()
	one := r.Cost(ZoneSameCity, 12_000)
	r.ParcelMaxGrams = 5_000
	require.Equal(t, 3, r.Parcels(12_000))
	require.Equal(t, 3*DefaultRates().Cost(ZoneSameCity, 4_000), r.Cost(ZoneSameCity, 12_000))
	require.NotEqual(t, one, r.Cost(ZoneSameCity, 12_000))
	require.Equal(t, DefaultRates().Cost(ZoneSameCity, 4_000), r.Cost(ZoneSameCity, 4_000), "a light shipment is one parcel")
	require.Equal(t, 1, r.Parcels(5_000))
}
