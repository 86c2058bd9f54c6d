-- Modify "customers" table
ALTER TABLE "customers" ADD COLUMN "merged_into_id" character varying NULL;
-- Modify "orders" table
ALTER TABLE "orders" ADD COLUMN "data_issues" jsonb NULL;
-- Modify "variants" table
ALTER TABLE "variants" ADD COLUMN "barcode" character varying NULL, ADD COLUMN "options" jsonb NULL, ADD COLUMN "hs_code" character varying NULL, ADD COLUMN "country_of_origin" character varying NULL;
-- Create index "variant_barcode" to table: "variants"
CREATE INDEX "variant_barcode" ON "variants" ("barcode");
-- Create "catalog_rules" table
CREATE TABLE "catalog_rules" ("id" character varying NOT NULL, "required" jsonb NULL, "cross_border_required" jsonb NULL, "updated_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- Create "customer_identities" table
CREATE TABLE "customer_identities" ("id" character varying NOT NULL, "customer_id" character varying NOT NULL, "kind" character varying NOT NULL, "value" character varying NOT NULL, "verified" boolean NOT NULL DEFAULT false, "channel_id" character varying NULL, "created_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- Create index "customeridentity_customer_id" to table: "customer_identities"
CREATE INDEX "customeridentity_customer_id" ON "customer_identities" ("customer_id");
-- Create index "customeridentity_kind_value" to table: "customer_identities"
CREATE UNIQUE INDEX "customeridentity_kind_value" ON "customer_identities" ("kind", "value");
-- Create "customer_merges" table
CREATE TABLE "customer_merges" ("id" character varying NOT NULL, "survivor_id" character varying NOT NULL, "merged_id" character varying NOT NULL, "order_ids" jsonb NULL, "identity_ids" jsonb NULL, "reason" character varying NOT NULL DEFAULT '', "actor" character varying NOT NULL DEFAULT '', "created_at" timestamptz NOT NULL, "undone_at" timestamptz NULL, "undone_by" character varying NOT NULL DEFAULT '', PRIMARY KEY ("id"));
-- Create index "customermerge_merged_id" to table: "customer_merges"
CREATE INDEX "customermerge_merged_id" ON "customer_merges" ("merged_id");
-- Create index "customermerge_survivor_id" to table: "customer_merges"
CREATE INDEX "customermerge_survivor_id" ON "customer_merges" ("survivor_id");
-- Create "import_jobs" table
CREATE TABLE "import_jobs" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "kind" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'QUEUED', "dry_run" boolean NOT NULL DEFAULT false, "partial" boolean NOT NULL DEFAULT false, "file_name" character varying NOT NULL DEFAULT '', "content" bytea NULL, "channel_id" character varying NULL, "location_id" character varying NULL, "total" bigint NOT NULL DEFAULT 0, "done" bigint NOT NULL DEFAULT 0, "error_count" bigint NOT NULL DEFAULT 0, "errors" jsonb NULL, "summary" jsonb NULL, "rejects" bytea NULL, "cursor" character varying NOT NULL DEFAULT '', "actor" character varying NOT NULL DEFAULT '', "started_at" timestamptz NULL, "finished_at" timestamptz NULL, "cancel_requested_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Create index "importjob_created_at" to table: "import_jobs"
CREATE INDEX "importjob_created_at" ON "import_jobs" ("created_at");
-- Create index "importjob_status" to table: "import_jobs"
CREATE INDEX "importjob_status" ON "import_jobs" ("status");
-- Create "listing_candidates" table
CREATE TABLE "listing_candidates" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "channel_id" character varying NOT NULL, "external_id" character varying NOT NULL, "seller_sku" character varying NOT NULL DEFAULT '', "barcode" character varying NOT NULL DEFAULT '', "title" character varying NOT NULL DEFAULT '', "options" jsonb NULL, "attrs" jsonb NULL, "price_amount" bigint NOT NULL DEFAULT 0, "component_skus" jsonb NULL, "status" character varying NOT NULL, "variant_id" character varying NULL, "reason" character varying NOT NULL, "suggestions" jsonb NULL, "decided_by" character varying NOT NULL DEFAULT '', "last_seen_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- Create index "listingcandidate_channel_id_external_id" to table: "listing_candidates"
CREATE UNIQUE INDEX "listingcandidate_channel_id_external_id" ON "listing_candidates" ("channel_id", "external_id");
-- Create index "listingcandidate_status_channel_id" to table: "listing_candidates"
CREATE INDEX "listingcandidate_status_channel_id" ON "listing_candidates" ("status", "channel_id");
-- Create "stock_counts" table
CREATE TABLE "stock_counts" ("id" character varying NOT NULL, "location_id" character varying NOT NULL, "scope" character varying NOT NULL DEFAULT '', "import_job_id" character varying NULL, "lines" bigint NOT NULL DEFAULT 0, "differences" bigint NOT NULL DEFAULT 0, "units_added" bigint NOT NULL DEFAULT 0, "units_removed" bigint NOT NULL DEFAULT 0, "actor" character varying NOT NULL DEFAULT '', "created_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- Create index "stockcount_location_id_created_at" to table: "stock_counts"
CREATE INDEX "stockcount_location_id_created_at" ON "stock_counts" ("location_id", "created_at");
