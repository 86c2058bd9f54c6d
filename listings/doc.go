// Package listings maps what a channel lists to Ordo's variants. A channel's catalogue (imported
// through package imports, or met in an order a pull brings) becomes listing candidates; the pure
// matcher (match.go) maps each by seller SKU, normalised SKU, barcode, options or bundle
// components, and the rest wait in a review queue with suggestions until an operator confirms or
// ignores them. Only mapped and confirmed candidates get the ChannelListing that stock sync pushes.
package listings
