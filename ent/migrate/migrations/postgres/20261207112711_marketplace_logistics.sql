-- Modify "locations" table
ALTER TABLE "locations" ADD COLUMN "channel_locations" jsonb NULL;
-- Modify "shipments" table
ALTER TABLE "shipments" ADD COLUMN "arranged_at" timestamptz NULL, ADD COLUMN "confirm_on_handover" boolean NOT NULL DEFAULT false;
