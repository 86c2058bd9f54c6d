-- Modify "variants" table
ALTER TABLE "variants" ADD COLUMN "returnable" boolean NOT NULL DEFAULT true;
-- Modify "inventory_levels" table
ALTER TABLE "inventory_levels" ADD COLUMN "damaged" bigint NOT NULL DEFAULT 0, ADD COLUMN "quarantined" bigint NOT NULL DEFAULT 0;
-- Modify "inventory_movements" table
ALTER TABLE "inventory_movements" ADD COLUMN "damaged_delta" bigint NOT NULL DEFAULT 0, ADD COLUMN "quarantined_delta" bigint NOT NULL DEFAULT 0;
-- Modify "channels" table
ALTER TABLE "channels" ADD COLUMN "return_window_days" bigint NOT NULL DEFAULT 30, ADD COLUMN "unpaid_expiry_minutes" jsonb NULL, ADD COLUMN "returns_pulled_until" timestamptz NULL;
-- Create "return_reasons" table
CREATE TABLE "return_reasons" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "code" character varying NOT NULL, "label" character varying NOT NULL, "description" character varying NULL, "parent_code" character varying NULL, "default_disposition" character varying NOT NULL DEFAULT 'QUARANTINE', "channel_codes" jsonb NULL, "active" boolean NOT NULL DEFAULT true, PRIMARY KEY ("id"));
-- Create index "return_reasons_code_key" to table: "return_reasons"
CREATE UNIQUE INDEX "return_reasons_code_key" ON "return_reasons" ("code");
-- Modify "order_lines" table
ALTER TABLE "order_lines" ADD COLUMN "cancelled_quantity" bigint NOT NULL DEFAULT 0;
-- Modify "orders" table
ALTER TABLE "orders" ADD COLUMN "refunded_amount" bigint NOT NULL DEFAULT 0, ADD COLUMN "balance_due_amount" bigint NOT NULL DEFAULT 0, ADD COLUMN "exchange_for_return_id" character varying NULL, ADD COLUMN "return_status" character varying NOT NULL DEFAULT 'NONE', ADD COLUMN "shipping_method" character varying NULL, ADD COLUMN "expires_at" timestamptz NULL, ADD COLUMN "version" bigint NOT NULL DEFAULT 1;
-- Modify "shipments" table
ALTER TABLE "shipments" ADD COLUMN "direction" character varying NOT NULL DEFAULT 'OUTBOUND', ADD COLUMN "return_id" character varying NULL;
-- Create "returns" table
CREATE TABLE "returns" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "number" character varying NOT NULL, "channel_id" character varying NULL, "external_id" character varying NULL, "kind" character varying NOT NULL DEFAULT 'RETURN', "origin" character varying NOT NULL, "resolution" character varying NOT NULL DEFAULT 'REFUND', "status" character varying NOT NULL DEFAULT 'REQUESTED', "reason_code" character varying NULL, "note" character varying NULL, "decline_reason" character varying NULL, "channel_status" character varying NULL, "channel_updated_at" timestamptz NULL, "channel_deadline" timestamptz NULL, "deadline_alert" character varying NOT NULL DEFAULT 'NONE', "channel_refund_amount" bigint NULL, "channel_refs" jsonb NULL, "seller_decision" character varying NOT NULL DEFAULT 'NONE', "offer_amount" bigint NULL, "evidence" jsonb NULL, "decision_sync" character varying NOT NULL DEFAULT 'NONE', "decision_error" character varying NULL, "created_by" character varying NULL, "requested_at" timestamptz NOT NULL, "approved_at" timestamptz NULL, "received_at" timestamptz NULL, "inspected_at" timestamptz NULL, "completed_at" timestamptz NULL, "closed_at" timestamptz NULL, "cancelled_at" timestamptz NULL, "version" bigint NOT NULL DEFAULT 1, "order_id" character varying NOT NULL, "location_id" character varying NULL, "shipment_id" character varying NULL, "exchange_order_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "returns_locations_location" FOREIGN KEY ("location_id") REFERENCES "locations" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "returns_orders_exchange_order" FOREIGN KEY ("exchange_order_id") REFERENCES "orders" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "returns_orders_returns" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "returns_shipments_shipment" FOREIGN KEY ("shipment_id") REFERENCES "shipments" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- Create index "orderreturn_channel_id_external_id" to table: "returns"
CREATE UNIQUE INDEX "orderreturn_channel_id_external_id" ON "returns" ("channel_id", "external_id");
-- Create index "orderreturn_order_id" to table: "returns"
CREATE INDEX "orderreturn_order_id" ON "returns" ("order_id");
-- Create index "orderreturn_status_channel_deadline" to table: "returns"
CREATE INDEX "orderreturn_status_channel_deadline" ON "returns" ("status", "channel_deadline");
-- Create "return_lines" table
CREATE TABLE "return_lines" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "variant_id" character varying NULL, "sku" character varying NOT NULL, "quantity" bigint NOT NULL, "received_quantity" bigint NOT NULL DEFAULT 0, "dispositioned_quantity" bigint NOT NULL DEFAULT 0, "reason_code" character varying NULL, "note" character varying NULL, "refund_amount" bigint NOT NULL DEFAULT 0, "external_ids" jsonb NULL, "return_id" character varying NOT NULL, "order_line_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "return_lines_order_lines_order_line" FOREIGN KEY ("order_line_id") REFERENCES "order_lines" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "return_lines_returns_lines" FOREIGN KEY ("return_id") REFERENCES "returns" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create "dispositions" table
CREATE TABLE "dispositions" ("id" character varying NOT NULL, "return_id" character varying NOT NULL, "kind" character varying NOT NULL, "quantity" bigint NOT NULL, "open_quantity" bigint NOT NULL DEFAULT 0, "from_id" character varying NULL, "note" character varying NULL, "actor" character varying NULL, "created_at" timestamptz NOT NULL, "location_id" character varying NULL, "return_line_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "dispositions_locations_location" FOREIGN KEY ("location_id") REFERENCES "locations" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "dispositions_return_lines_dispositions" FOREIGN KEY ("return_line_id") REFERENCES "return_lines" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "disposition_return_id" to table: "dispositions"
CREATE INDEX "disposition_return_id" ON "dispositions" ("return_id");
-- Create "refunds" table
CREATE TABLE "refunds" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "currency" character varying NOT NULL, "amount" bigint NOT NULL, "shipping_amount" bigint NOT NULL DEFAULT 0, "restocking_fee" bigint NOT NULL DEFAULT 0, "lines" jsonb NULL, "reason" character varying NULL, "status" character varying NOT NULL DEFAULT 'PENDING', "external_id" character varying NULL, "failure_reason" character varying NULL, "idempotency_key" character varying NULL, "created_by" character varying NULL, "order_id" character varying NOT NULL, "return_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "refunds_orders_refunds" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "refunds_returns_refunds" FOREIGN KEY ("return_id") REFERENCES "returns" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- Create index "refunds_idempotency_key_key" to table: "refunds"
CREATE UNIQUE INDEX "refunds_idempotency_key_key" ON "refunds" ("idempotency_key");
-- Create "stock_holds" table
CREATE TABLE "stock_holds" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "cart" character varying NOT NULL, "channel_id" character varying NULL, "key_id" character varying NULL, "status" character varying NOT NULL DEFAULT 'ACTIVE', "expires_at" timestamptz NOT NULL, "order_id" character varying NULL, PRIMARY KEY ("id"));
-- Create index "stockhold_key_id_cart" to table: "stock_holds"
CREATE INDEX "stockhold_key_id_cart" ON "stock_holds" ("key_id", "cart");
-- Create index "stockhold_status_expires_at" to table: "stock_holds"
CREATE INDEX "stockhold_status_expires_at" ON "stock_holds" ("status", "expires_at");
-- Create "stock_hold_lines" table
CREATE TABLE "stock_hold_lines" ("id" character varying NOT NULL, "variant_id" character varying NOT NULL, "sku" character varying NOT NULL, "quantity" bigint NOT NULL, "active" boolean NOT NULL DEFAULT true, "hold_id" character varying NOT NULL, "location_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "stock_hold_lines_locations_location" FOREIGN KEY ("location_id") REFERENCES "locations" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "stock_hold_lines_stock_holds_lines" FOREIGN KEY ("hold_id") REFERENCES "stock_holds" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create index "stockholdline_variant_id_location_id_active" to table: "stock_hold_lines"
CREATE INDEX "stockholdline_variant_id_location_id_active" ON "stock_hold_lines" ("variant_id", "location_id", "active");
