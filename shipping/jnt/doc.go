// Package jnt reads J&T Express's tracking pushes (the Malaysian open API's logistics-trace
// callback), a second Southeast Asian carrier beside Ninja Van. A push is a form POST whose field
// bizContent holds the JSON trace (one waybill, or an array of them, each with its scans); it is
// signed in the digest header as base64(MD5(bizContent + private key)), with the account in
// apiAccount. J&T expects the answer Ack. Only the push is implemented: booking J&T orders is left
// to a later adapter.
package jnt
