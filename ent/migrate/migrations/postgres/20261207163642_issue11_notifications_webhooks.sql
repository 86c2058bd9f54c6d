-- Modify "channels" table
ALTER TABLE "channels" ADD COLUMN "branding" jsonb NULL;
-- Modify "customers" table
ALTER TABLE "customers" ADD COLUMN "locale" character varying NULL, ADD COLUMN "time_zone" character varying NULL, ADD COLUMN "notifications_opt_out" boolean NOT NULL DEFAULT false, ADD COLUMN "muted_notifications" jsonb NULL;
-- Create "suppressions" table
CREATE TABLE "suppressions" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "address" character varying NOT NULL, "reason" character varying NOT NULL DEFAULT 'UNSUBSCRIBED', PRIMARY KEY ("id"));
-- Create index "suppressions_address_key" to table: "suppressions"
CREATE UNIQUE INDEX "suppressions_address_key" ON "suppressions" ("address");
-- Create "notifications" table
CREATE TABLE "notifications" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "customer_id" character varying NULL, "kind" character varying NOT NULL, "version" character varying NOT NULL, "subject_id" character varying NULL, "provider" character varying NOT NULL, "recipient" character varying NULL, "locale" character varying NULL, "subject" character varying NULL, "status" character varying NOT NULL DEFAULT 'PENDING', "skip_reason" character varying NULL, "attempts" bigint NOT NULL DEFAULT 0, "last_error" character varying NULL, "message_id" character varying NULL, "sent_at" timestamptz NULL, "facts" jsonb NULL, "event_id" bigint NULL, "order_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "notifications_orders_notifications" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "notification_order_id_kind_version_provider" to table: "notifications"
CREATE UNIQUE INDEX "notification_order_id_kind_version_provider" ON "notifications" ("order_id", "kind", "version", "provider");
-- Create index "notification_status" to table: "notifications"
CREATE INDEX "notification_status" ON "notifications" ("status");
-- Create "webhook_endpoints" table
CREATE TABLE "webhook_endpoints" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "url" character varying NOT NULL, "description" character varying NULL, "event_types" jsonb NULL, "secret" bytea NOT NULL, "previous_secret" bytea NULL, "previous_secret_expires_at" timestamptz NULL, "status" character varying NOT NULL DEFAULT 'ENABLED', "disabled_reason" character varying NULL, "disabled_at" timestamptz NULL, "cursor_txid" bigint NOT NULL DEFAULT 0, "cursor_event_id" bigint NOT NULL DEFAULT 0, "attempt" bigint NOT NULL DEFAULT 0, "next_attempt_at" timestamptz NULL, "failing_since" timestamptz NULL, "last_success_at" timestamptz NULL, "created_by" character varying NULL, PRIMARY KEY ("id"));
-- Create "webhook_attempts" table
CREATE TABLE "webhook_attempts" ("id" character varying NOT NULL, "event_id" bigint NOT NULL, "event_type" character varying NOT NULL, "order_id" character varying NULL, "attempt" bigint NOT NULL, "redelivery" boolean NOT NULL DEFAULT false, "outcome" character varying NOT NULL, "status_code" bigint NULL, "latency_ms" bigint NOT NULL DEFAULT 0, "response" character varying NULL, "error" character varying NULL, "created_at" timestamptz NOT NULL, "endpoint_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "webhook_attempts_webhook_endpoints_attempts" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create index "webhookattempt_created_at" to table: "webhook_attempts"
CREATE INDEX "webhookattempt_created_at" ON "webhook_attempts" ("created_at");
-- Create index "webhookattempt_endpoint_id_event_id" to table: "webhook_attempts"
CREATE INDEX "webhookattempt_endpoint_id_event_id" ON "webhook_attempts" ("endpoint_id", "event_id");
