-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Add column "location_ids" to table: "api_keys"
ALTER TABLE `api_keys` ADD COLUMN `location_ids` json NULL;
-- Create "new_channels" table
CREATE TABLE `new_channels` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `name` text NOT NULL, `shop_id` text NULL, `active` bool NOT NULL DEFAULT (true), `base_url` text NULL, `webhook_url` text NULL, `credentials` blob NULL, `auth_url` text NULL, `credentials_version` integer NOT NULL DEFAULT (0), `token_expires_at` datetime NULL, `refresh_token_expires_at` datetime NULL, `token_refreshed_at` datetime NULL, `auth_status` text NOT NULL DEFAULT ('OK'), `auth_error` text NULL, `stock_buffer_kind` text NOT NULL DEFAULT ('NONE'), `stock_buffer` integer NOT NULL DEFAULT (0), `pull_interval_seconds` integer NOT NULL DEFAULT (300), `pulled_until` datetime NULL, `last_pull_at` datetime NULL, `last_pull_error` text NULL, PRIMARY KEY (`id`));
-- Copy rows from old table "channels" to new temporary table "new_channels"
INSERT INTO `new_channels` (`id`, `created_at`, `updated_at`, `kind`, `name`, `shop_id`, `active`, `base_url`, `webhook_url`, `credentials`, `stock_buffer_kind`, `stock_buffer`, `pull_interval_seconds`, `pulled_until`, `last_pull_at`, `last_pull_error`) SELECT `id`, `created_at`, `updated_at`, `kind`, `name`, `shop_id`, `active`, `base_url`, `webhook_url`, `credentials`, `stock_buffer_kind`, `stock_buffer`, `pull_interval_seconds`, `pulled_until`, `last_pull_at`, `last_pull_error` FROM `channels`;
-- Drop "channels" table after copying rows
DROP TABLE `channels`;
-- Rename temporary table "new_channels" to "channels"
ALTER TABLE `new_channels` RENAME TO `channels`;
-- Create index "channel_kind_shop_id" to table: "channels"
CREATE UNIQUE INDEX `channel_kind_shop_id` ON `channels` (`kind`, `shop_id`);
-- Add column "contact_email" to table: "orders"
ALTER TABLE `orders` ADD COLUMN `contact_email` text NULL;
-- Create "new_order_lines" table
CREATE TABLE `new_order_lines` (`id` text NOT NULL, `sku` text NOT NULL, `kind` text NOT NULL DEFAULT ('STOCK'), `name` text NULL, `quantity` integer NOT NULL, `unit_price_amount` integer NOT NULL, `external_unit_ids` json NULL, `external_line_id` text NULL, `listing_id` text NULL, `release_at` datetime NULL, `order_id` text NOT NULL, `variant_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `order_lines_orders_lines` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE CASCADE, CONSTRAINT `order_lines_variants_variant` FOREIGN KEY (`variant_id`) REFERENCES `variants` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "order_lines" to new temporary table "new_order_lines"
INSERT INTO `new_order_lines` (`id`, `sku`, `quantity`, `unit_price_amount`, `external_unit_ids`, `external_line_id`, `listing_id`, `release_at`, `order_id`, `variant_id`) SELECT `id`, `sku`, `quantity`, `unit_price_amount`, `external_unit_ids`, `external_line_id`, `listing_id`, `release_at`, `order_id`, `variant_id` FROM `order_lines`;
-- Drop "order_lines" table after copying rows
DROP TABLE `order_lines`;
-- Rename temporary table "new_order_lines" to "order_lines"
ALTER TABLE `new_order_lines` RENAME TO `order_lines`;
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
