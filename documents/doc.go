// Package documents renders Ordo's warehouse paperwork — shipping labels (PDF 4×6 in, PDF A6, ZPL),
// packing slips and pick lists — from plain values to bytes. It reads no store and keeps no state:
// the caller maps its shipments onto LabelData, SlipData and PickListData and stores what comes back.
//
// Text is set in embedded fonts chosen per run of script (Garuda for Thai, DejaVu Sans for the rest,
// Vietnamese included), so a document prints the same on every machine. Barcodes (Code 128, QR) are
// drawn as vector rectangles, sharp at any printer resolution. Bad input is an error wrapping
// ErrInvalid, never a panic, and user text in ZPL is escaped so that it cannot inject commands.
package documents
