-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_variants" table
CREATE TABLE `new_variants` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `sku` text NOT NULL, `name` text NOT NULL, `price_amount` integer NOT NULL DEFAULT (0), `currency` text NOT NULL DEFAULT ('USD'), `weight_grams` integer NOT NULL DEFAULT (0), `length_mm` integer NOT NULL DEFAULT (0), `width_mm` integer NOT NULL DEFAULT (0), `height_mm` integer NOT NULL DEFAULT (0), `returnable` bool NOT NULL DEFAULT (true), `barcode` text NULL, `options` json NULL, `hs_code` text NULL, `country_of_origin` text NULL, `location_supplies` text NULL, `product_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `variants_locations_supplies` FOREIGN KEY (`location_supplies`) REFERENCES `locations` (`id`) ON DELETE SET NULL, CONSTRAINT `variants_products_variants` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "variants" to new temporary table "new_variants"
INSERT INTO `new_variants` (`id`, `created_at`, `updated_at`, `sku`, `name`, `price_amount`, `currency`, `weight_grams`, `length_mm`, `width_mm`, `height_mm`, `returnable`, `location_supplies`, `product_id`) SELECT `id`, `created_at`, `updated_at`, `sku`, `name`, `price_amount`, `currency`, `weight_grams`, `length_mm`, `width_mm`, `height_mm`, `returnable`, `location_supplies`, `product_id` FROM `variants`;
-- Drop "variants" table after copying rows
DROP TABLE `variants`;
-- Rename temporary table "new_variants" to "variants"
ALTER TABLE `new_variants` RENAME TO `variants`;
-- Create index "variants_sku_key" to table: "variants"
CREATE UNIQUE INDEX `variants_sku_key` ON `variants` (`sku`);
-- Create index "variant_barcode" to table: "variants"
CREATE INDEX `variant_barcode` ON `variants` (`barcode`);
-- Add column "data_issues" to table: "orders"
ALTER TABLE `orders` ADD COLUMN `data_issues` json NULL;
-- Add column "merged_into_id" to table: "customers"
ALTER TABLE `customers` ADD COLUMN `merged_into_id` text NULL;
-- Create "catalog_rules" table
CREATE TABLE `catalog_rules` (`id` text NOT NULL, `required` json NULL, `cross_border_required` json NULL, `updated_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create "customer_identities" table
CREATE TABLE `customer_identities` (`id` text NOT NULL, `customer_id` text NOT NULL, `kind` text NOT NULL, `value` text NOT NULL, `verified` bool NOT NULL DEFAULT (false), `channel_id` text NULL, `created_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create index "customeridentity_kind_value" to table: "customer_identities"
CREATE UNIQUE INDEX `customeridentity_kind_value` ON `customer_identities` (`kind`, `value`);
-- Create index "customeridentity_customer_id" to table: "customer_identities"
CREATE INDEX `customeridentity_customer_id` ON `customer_identities` (`customer_id`);
-- Create "customer_merges" table
CREATE TABLE `customer_merges` (`id` text NOT NULL, `survivor_id` text NOT NULL, `merged_id` text NOT NULL, `order_ids` json NULL, `identity_ids` json NULL, `reason` text NOT NULL DEFAULT (''), `actor` text NOT NULL DEFAULT (''), `created_at` datetime NOT NULL, `undone_at` datetime NULL, `undone_by` text NOT NULL DEFAULT (''), PRIMARY KEY (`id`));
-- Create index "customermerge_survivor_id" to table: "customer_merges"
CREATE INDEX `customermerge_survivor_id` ON `customer_merges` (`survivor_id`);
-- Create index "customermerge_merged_id" to table: "customer_merges"
CREATE INDEX `customermerge_merged_id` ON `customer_merges` (`merged_id`);
-- Create "import_jobs" table
CREATE TABLE `import_jobs` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `status` text NOT NULL DEFAULT ('QUEUED'), `dry_run` bool NOT NULL DEFAULT (false), `partial` bool NOT NULL DEFAULT (false), `file_name` text NOT NULL DEFAULT (''), `content` blob NULL, `channel_id` text NULL, `location_id` text NULL, `total` integer NOT NULL DEFAULT (0), `done` integer NOT NULL DEFAULT (0), `error_count` integer NOT NULL DEFAULT (0), `errors` json NULL, `summary` json NULL, `rejects` blob NULL, `cursor` text NOT NULL DEFAULT (''), `actor` text NOT NULL DEFAULT (''), `started_at` datetime NULL, `finished_at` datetime NULL, `cancel_requested_at` datetime NULL, PRIMARY KEY (`id`));
-- Create index "importjob_status" to table: "import_jobs"
CREATE INDEX `importjob_status` ON `import_jobs` (`status`);
-- Create index "importjob_created_at" to table: "import_jobs"
CREATE INDEX `importjob_created_at` ON `import_jobs` (`created_at`);
-- Create "listing_candidates" table
CREATE TABLE `listing_candidates` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `channel_id` text NOT NULL, `external_id` text NOT NULL, `seller_sku` text NOT NULL DEFAULT (''), `barcode` text NOT NULL DEFAULT (''), `title` text NOT NULL DEFAULT (''), `options` json NULL, `attrs` json NULL, `price_amount` integer NOT NULL DEFAULT (0), `component_skus` json NULL, `status` text NOT NULL, `variant_id` text NULL, `reason` text NOT NULL, `suggestions` json NULL, `decided_by` text NOT NULL DEFAULT (''), `last_seen_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create index "listingcandidate_channel_id_external_id" to table: "listing_candidates"
CREATE UNIQUE INDEX `listingcandidate_channel_id_external_id` ON `listing_candidates` (`channel_id`, `external_id`);
-- Create index "listingcandidate_status_channel_id" to table: "listing_candidates"
CREATE INDEX `listingcandidate_status_channel_id` ON `listing_candidates` (`status`, `channel_id`);
-- Create "stock_counts" table
CREATE TABLE `stock_counts` (`id` text NOT NULL, `location_id` text NOT NULL, `scope` text NOT NULL DEFAULT (''), `import_job_id` text NULL, `lines` integer NOT NULL DEFAULT (0), `differences` integer NOT NULL DEFAULT (0), `units_added` integer NOT NULL DEFAULT (0), `units_removed` integer NOT NULL DEFAULT (0), `actor` text NOT NULL DEFAULT (''), `created_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create index "stockcount_location_id_created_at" to table: "stock_counts"
CREATE INDEX `stockcount_location_id_created_at` ON `stock_counts` (`location_id`, `created_at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
