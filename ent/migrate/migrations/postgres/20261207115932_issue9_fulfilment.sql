-- Modify "allocations" table
ALTER TABLE "allocations" ADD COLUMN "shipment_id" character varying NULL;
-- Modify "channels" table
ALTER TABLE "channels" ADD COLUMN "partial_shipments" character varying NOT NULL DEFAULT 'WAIT_COMPLETE', ADD COLUMN "ship_by_alert_hours" bigint NOT NULL DEFAULT 6;
-- Create "carrier_accounts" table
CREATE TABLE "carrier_accounts" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "kind" character varying NOT NULL, "name" character varying NOT NULL, "base_url" character varying NULL, "credentials" bytea NULL, "active" boolean NOT NULL DEFAULT true, "scan_gap_hours" bigint NOT NULL DEFAULT 48, PRIMARY KEY ("id"));
-- Create "rate_cards" table
CREATE TABLE "rate_cards" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "carrier" character varying NOT NULL, "service" character varying NOT NULL, "currency" character varying NOT NULL, "dim_divisor" bigint NOT NULL DEFAULT 5000, "bands" jsonb NOT NULL, "active" boolean NOT NULL DEFAULT true, PRIMARY KEY ("id"));
-- Create index "ratecard_carrier_service" to table: "rate_cards"
CREATE UNIQUE INDEX "ratecard_carrier_service" ON "rate_cards" ("carrier", "service");
-- Modify "locations" table
ALTER TABLE "locations" ADD COLUMN "pickup_hold_days" bigint NOT NULL DEFAULT 7, ADD COLUMN "same_day" boolean NOT NULL DEFAULT false, ADD COLUMN "channel_locations" jsonb NULL;
-- Modify "orders" table
ALTER TABLE "orders" ADD COLUMN "delivery_method" character varying NOT NULL DEFAULT 'SHIP', ADD COLUMN "pickup_location_id" character varying NULL, ADD COLUMN "repromised_delivery_to" timestamptz NULL;
-- Create "shipments" table
CREATE TABLE "shipments" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "number" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'OPEN', "method" character varying NOT NULL DEFAULT 'MANUAL', "carrier" character varying NULL, "service" character varying NULL, "carrier_ref" character varying NULL, "tracking_numbers" jsonb NULL, "arranged_at" timestamptz NULL, "confirm_on_handover" boolean NOT NULL DEFAULT false, "tracking_url" character varying NULL, "tracking_tag" character varying NULL, "tracking_subtag" character varying NULL, "last_scan_at" timestamptz NULL, "label_amount" bigint NULL, "label_currency" character varying NULL, "ship_by" timestamptz NULL, "promised_delivery_from" timestamptz NULL, "promised_delivery_to" timestamptz NULL, "latest_estimate" timestamptz NULL, "late_risk" boolean NOT NULL DEFAULT false, "late_reason" character varying NULL, "deadline_alert" character varying NOT NULL DEFAULT 'NONE', "return_expected" boolean NOT NULL DEFAULT false, "shipped_at" timestamptz NULL, "delivered_at" timestamptz NULL, "ready_at" timestamptz NULL, "pickup_expires_at" timestamptz NULL, "collected_at" timestamptz NULL, "cancelled_at" timestamptz NULL, "cancel_reason" character varying NULL, "order_id" character varying NOT NULL, "location_id" character varying NOT NULL, "carrier_account_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "shipments_carrier_accounts_carrier_account" FOREIGN KEY ("carrier_account_id") REFERENCES "carrier_accounts" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "shipments_locations_location" FOREIGN KEY ("location_id") REFERENCES "locations" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "shipments_orders_shipments" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "shipment_location_id_status" to table: "shipments"
CREATE INDEX "shipment_location_id_status" ON "shipments" ("location_id", "status");
-- Create index "shipment_order_id" to table: "shipments"
CREATE INDEX "shipment_order_id" ON "shipments" ("order_id");
-- Create index "shipment_status_late_risk" to table: "shipments"
CREATE INDEX "shipment_status_late_risk" ON "shipments" ("status", "late_risk");
-- Create index "shipment_status_ship_by" to table: "shipments"
CREATE INDEX "shipment_status_ship_by" ON "shipments" ("status", "ship_by");
-- Create "documents" table
CREATE TABLE "documents" ("id" character varying NOT NULL, "location_id" character varying NULL, "kind" character varying NOT NULL, "format" character varying NOT NULL, "content_type" character varying NOT NULL, "size" bigint NOT NULL, "body" bytea NOT NULL, "created_at" timestamptz NOT NULL, "shipment_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "documents_shipments_documents" FOREIGN KEY ("shipment_id") REFERENCES "shipments" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- Create index "document_location_id_created_at" to table: "documents"
CREATE INDEX "document_location_id_created_at" ON "documents" ("location_id", "created_at");
-- Create index "document_shipment_id" to table: "documents"
CREATE INDEX "document_shipment_id" ON "documents" ("shipment_id");
-- Create "shipment_lines" table
CREATE TABLE "shipment_lines" ("id" character varying NOT NULL, "allocation_id" character varying NOT NULL, "sku" character varying NOT NULL, "quantity" bigint NOT NULL, "shipment_id" character varying NOT NULL, "order_line_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "shipment_lines_order_lines_order_line" FOREIGN KEY ("order_line_id") REFERENCES "order_lines" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "shipment_lines_shipments_lines" FOREIGN KEY ("shipment_id") REFERENCES "shipments" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create index "shipmentline_allocation_id" to table: "shipment_lines"
CREATE INDEX "shipmentline_allocation_id" ON "shipment_lines" ("allocation_id");
-- Create index "shipmentline_shipment_id" to table: "shipment_lines"
CREATE INDEX "shipmentline_shipment_id" ON "shipment_lines" ("shipment_id");
-- Create "shipment_packages" table
CREATE TABLE "shipment_packages" ("id" character varying NOT NULL, "index" bigint NOT NULL, "box" character varying NULL, "weight_grams" bigint NOT NULL, "length_mm" bigint NOT NULL, "width_mm" bigint NOT NULL, "height_mm" bigint NOT NULL, "contents" jsonb NULL, "tracking_number" character varying NULL, "channel_ref" character varying NULL, "shipment_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "shipment_packages_shipments_packages" FOREIGN KEY ("shipment_id") REFERENCES "shipments" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create "tracking_events" table
CREATE TABLE "tracking_events" ("id" character varying NOT NULL, "source" character varying NOT NULL, "event_id" character varying NOT NULL, "tracking_number" character varying NOT NULL, "tag" character varying NOT NULL, "subtag" character varying NULL, "raw_status" character varying NULL, "message" character varying NULL, "location" character varying NULL, "occurred_at" timestamptz NOT NULL, "received_at" timestamptz NOT NULL, "raw" text NULL, "shipment_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "tracking_events_shipments_tracking_events" FOREIGN KEY ("shipment_id") REFERENCES "shipments" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "trackingevent_shipment_id_occurred_at" to table: "tracking_events"
CREATE INDEX "trackingevent_shipment_id_occurred_at" ON "tracking_events" ("shipment_id", "occurred_at");
-- Create index "trackingevent_source_event_id" to table: "tracking_events"
CREATE UNIQUE INDEX "trackingevent_source_event_id" ON "tracking_events" ("source", "event_id");
