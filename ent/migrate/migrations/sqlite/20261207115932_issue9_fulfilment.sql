-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Add column "shipment_id" to table: "allocations"
ALTER TABLE `allocations` ADD COLUMN `shipment_id` text NULL;
-- Create "new_locations" table
CREATE TABLE `new_locations` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `name` text NOT NULL, `kind` text NOT NULL, `active` bool NOT NULL DEFAULT (true), `priority` integer NOT NULL DEFAULT (100), `address` json NULL, `timezone` text NOT NULL DEFAULT ('UTC'), `daily_capacity` integer NOT NULL DEFAULT (0), `cutoff_time` text NOT NULL DEFAULT ('15:00'), `processing_hours` integer NOT NULL DEFAULT (24), `accepts_cod` bool NOT NULL DEFAULT (true), `offers_pickup` bool NOT NULL DEFAULT (false), `pickup_hold_days` integer NOT NULL DEFAULT (7), `same_day` bool NOT NULL DEFAULT (false), `ships_to` json NULL, `holidays` json NULL, `channel_locations` json NULL, PRIMARY KEY (`id`));
-- Copy rows from old table "locations" to new temporary table "new_locations"
INSERT INTO `new_locations` (`id`, `created_at`, `updated_at`, `code`, `name`, `kind`, `active`, `priority`, `address`, `timezone`, `daily_capacity`, `cutoff_time`, `processing_hours`, `accepts_cod`, `offers_pickup`, `ships_to`, `holidays`) SELECT `id`, `created_at`, `updated_at`, `code`, `name`, `kind`, `active`, `priority`, `address`, `timezone`, `daily_capacity`, `cutoff_time`, `processing_hours`, `accepts_cod`, `offers_pickup`, `ships_to`, `holidays` FROM `locations`;
-- Drop "locations" table after copying rows
DROP TABLE `locations`;
-- Rename temporary table "new_locations" to "locations"
ALTER TABLE `new_locations` RENAME TO `locations`;
-- Create index "locations_code_key" to table: "locations"
CREATE UNIQUE INDEX `locations_code_key` ON `locations` (`code`);
-- Create "new_orders" table
CREATE TABLE `new_orders` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `number` text NOT NULL, `external_id` text NULL, `idempotency_key` text NULL, `placed_by` text NULL, `contact_email` text NULL, `status` text NOT NULL, `status_before_hold` text NULL, `channel_status` text NULL, `channel_updated_at` datetime NULL, `channel_refs` json NULL, `channel_hold` bool NOT NULL DEFAULT (false), `payment_status` text NOT NULL DEFAULT ('PENDING'), `fulfillment_status` text NOT NULL DEFAULT ('UNFULFILLED'), `delivery_method` text NOT NULL DEFAULT ('SHIP'), `pickup_location_id` text NULL, `payment_method` text NOT NULL DEFAULT ('PREPAID'), `currency` text NOT NULL, `subtotal_amount` integer NOT NULL, `shipping_amount` integer NOT NULL DEFAULT (0), `discount_amount` integer NOT NULL DEFAULT (0), `tax_amount` integer NOT NULL DEFAULT (0), `total_amount` integer NOT NULL, `shipping_address` json NULL, `ship_by` datetime NULL, `priority` integer NOT NULL DEFAULT (0), `cancel_reason` text NULL, `note` text NULL, `placed_at` datetime NOT NULL, `rejected_locations` json NULL, `promised_ship_by` datetime NULL, `promised_delivery_from` datetime NULL, `promised_delivery_to` datetime NULL, `repromised_delivery_to` datetime NULL, `channel_id` text NULL, `customer_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `orders_channels_orders` FOREIGN KEY (`channel_id`) REFERENCES `channels` (`id`) ON DELETE SET NULL, CONSTRAINT `orders_customers_orders` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "orders" to new temporary table "new_orders"
INSERT INTO `new_orders` (`id`, `created_at`, `updated_at`, `number`, `external_id`, `idempotency_key`, `placed_by`, `contact_email`, `status`, `status_before_hold`, `channel_status`, `channel_updated_at`, `channel_refs`, `channel_hold`, `payment_status`, `fulfillment_status`, `payment_method`, `currency`, `subtotal_amount`, `shipping_amount`, `discount_amount`, `tax_amount`, `total_amount`, `shipping_address`, `ship_by`, `priority`, `cancel_reason`, `note`, `placed_at`, `rejected_locations`, `promised_ship_by`, `promised_delivery_from`, `promised_delivery_to`, `channel_id`, `customer_id`) SELECT `id`, `created_at`, `updated_at`, `number`, `external_id`, `idempotency_key`, `placed_by`, `contact_email`, `status`, `status_before_hold`, `channel_status`, `channel_updated_at`, `channel_refs`, `channel_hold`, `payment_status`, `fulfillment_status`, `payment_method`, `currency`, `subtotal_amount`, `shipping_amount`, `discount_amount`, `tax_amount`, `total_amount`, `shipping_address`, `ship_by`, `priority`, `cancel_reason`, `note`, `placed_at`, `rejected_locations`, `promised_ship_by`, `promised_delivery_from`, `promised_delivery_to`, `channel_id`, `customer_id` FROM `orders`;
-- Drop "orders" table after copying rows
DROP TABLE `orders`;
-- Rename temporary table "new_orders" to "orders"
ALTER TABLE `new_orders` RENAME TO `orders`;
-- Create index "orders_idempotency_key_key" to table: "orders"
CREATE UNIQUE INDEX `orders_idempotency_key_key` ON `orders` (`idempotency_key`);
-- Create index "order_channel_id_external_id" to table: "orders"
CREATE UNIQUE INDEX `order_channel_id_external_id` ON `orders` (`channel_id`, `external_id`);
-- Create index "order_status" to table: "orders"
CREATE INDEX `order_status` ON `orders` (`status`);
-- Create index "order_customer_id" to table: "orders"
CREATE INDEX `order_customer_id` ON `orders` (`customer_id`);
-- Create "new_channels" table
CREATE TABLE `new_channels` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `name` text NOT NULL, `shop_id` text NULL, `active` bool NOT NULL DEFAULT (true), `base_url` text NULL, `webhook_url` text NULL, `credentials` blob NULL, `auth_url` text NULL, `credentials_version` integer NOT NULL DEFAULT (0), `token_expires_at` datetime NULL, `refresh_token_expires_at` datetime NULL, `token_refreshed_at` datetime NULL, `auth_status` text NOT NULL DEFAULT ('OK'), `auth_error` text NULL, `stock_buffer_kind` text NOT NULL DEFAULT ('NONE'), `stock_buffer` integer NOT NULL DEFAULT (0), `partial_shipments` text NOT NULL DEFAULT ('WAIT_COMPLETE'), `ship_by_alert_hours` integer NOT NULL DEFAULT (6), `pull_interval_seconds` integer NOT NULL DEFAULT (300), `pulled_until` datetime NULL, `last_pull_at` datetime NULL, `last_pull_error` text NULL, PRIMARY KEY (`id`));
-- Copy rows from old table "channels" to new temporary table "new_channels"
INSERT INTO `new_channels` (`id`, `created_at`, `updated_at`, `kind`, `name`, `shop_id`, `active`, `base_url`, `webhook_url`, `credentials`, `auth_url`, `credentials_version`, `token_expires_at`, `refresh_token_expires_at`, `token_refreshed_at`, `auth_status`, `auth_error`, `stock_buffer_kind`, `stock_buffer`, `pull_interval_seconds`, `pulled_until`, `last_pull_at`, `last_pull_error`) SELECT `id`, `created_at`, `updated_at`, `kind`, `name`, `shop_id`, `active`, `base_url`, `webhook_url`, `credentials`, `auth_url`, `credentials_version`, `token_expires_at`, `refresh_token_expires_at`, `token_refreshed_at`, `auth_status`, `auth_error`, `stock_buffer_kind`, `stock_buffer`, `pull_interval_seconds`, `pulled_until`, `last_pull_at`, `last_pull_error` FROM `channels`;
-- Drop "channels" table after copying rows
DROP TABLE `channels`;
-- Rename temporary table "new_channels" to "channels"
ALTER TABLE `new_channels` RENAME TO `channels`;
-- Create index "channel_kind_shop_id" to table: "channels"
CREATE UNIQUE INDEX `channel_kind_shop_id` ON `channels` (`kind`, `shop_id`);
-- Create "carrier_accounts" table
CREATE TABLE `carrier_accounts` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `name` text NOT NULL, `base_url` text NULL, `credentials` blob NULL, `active` bool NOT NULL DEFAULT (true), `scan_gap_hours` integer NOT NULL DEFAULT (48), PRIMARY KEY (`id`));
-- Create "documents" table
CREATE TABLE `documents` (`id` text NOT NULL, `location_id` text NULL, `kind` text NOT NULL, `format` text NOT NULL, `content_type` text NOT NULL, `size` integer NOT NULL, `body` blob NOT NULL, `created_at` datetime NOT NULL, `shipment_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `documents_shipments_documents` FOREIGN KEY (`shipment_id`) REFERENCES `shipments` (`id`) ON DELETE SET NULL);
-- Create index "document_shipment_id" to table: "documents"
CREATE INDEX `document_shipment_id` ON `documents` (`shipment_id`);
-- Create index "document_location_id_created_at" to table: "documents"
CREATE INDEX `document_location_id_created_at` ON `documents` (`location_id`, `created_at`);
-- Create "rate_cards" table
CREATE TABLE `rate_cards` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `carrier` text NOT NULL, `service` text NOT NULL, `currency` text NOT NULL, `dim_divisor` integer NOT NULL DEFAULT (5000), `bands` json NOT NULL, `active` bool NOT NULL DEFAULT (true), PRIMARY KEY (`id`));
-- Create index "ratecard_carrier_service" to table: "rate_cards"
CREATE UNIQUE INDEX `ratecard_carrier_service` ON `rate_cards` (`carrier`, `service`);
-- Create "shipments" table
CREATE TABLE `shipments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `number` text NOT NULL, `status` text NOT NULL DEFAULT ('OPEN'), `method` text NOT NULL DEFAULT ('MANUAL'), `carrier` text NULL, `service` text NULL, `carrier_ref` text NULL, `tracking_numbers` json NULL, `arranged_at` datetime NULL, `confirm_on_handover` bool NOT NULL DEFAULT (false), `tracking_url` text NULL, `tracking_tag` text NULL, `tracking_subtag` text NULL, `last_scan_at` datetime NULL, `label_amount` integer NULL, `label_currency` text NULL, `ship_by` datetime NULL, `promised_delivery_from` datetime NULL, `promised_delivery_to` datetime NULL, `latest_estimate` datetime NULL, `late_risk` bool NOT NULL DEFAULT (false), `late_reason` text NULL, `deadline_alert` text NOT NULL DEFAULT ('NONE'), `return_expected` bool NOT NULL DEFAULT (false), `shipped_at` datetime NULL, `delivered_at` datetime NULL, `ready_at` datetime NULL, `pickup_expires_at` datetime NULL, `collected_at` datetime NULL, `cancelled_at` datetime NULL, `cancel_reason` text NULL, `order_id` text NOT NULL, `location_id` text NOT NULL, `carrier_account_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `shipments_orders_shipments` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE NO ACTION, CONSTRAINT `shipments_locations_location` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE NO ACTION, CONSTRAINT `shipments_carrier_accounts_carrier_account` FOREIGN KEY (`carrier_account_id`) REFERENCES `carrier_accounts` (`id`) ON DELETE SET NULL);
-- Create index "shipment_order_id" to table: "shipments"
CREATE INDEX `shipment_order_id` ON `shipments` (`order_id`);
-- Create index "shipment_location_id_status" to table: "shipments"
CREATE INDEX `shipment_location_id_status` ON `shipments` (`location_id`, `status`);
-- Create index "shipment_status_late_risk" to table: "shipments"
CREATE INDEX `shipment_status_late_risk` ON `shipments` (`status`, `late_risk`);
-- Create index "shipment_status_ship_by" to table: "shipments"
CREATE INDEX `shipment_status_ship_by` ON `shipments` (`status`, `ship_by`);
-- Create "shipment_lines" table
CREATE TABLE `shipment_lines` (`id` text NOT NULL, `allocation_id` text NOT NULL, `sku` text NOT NULL, `quantity` integer NOT NULL, `shipment_id` text NOT NULL, `order_line_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `shipment_lines_shipments_lines` FOREIGN KEY (`shipment_id`) REFERENCES `shipments` (`id`) ON DELETE CASCADE, CONSTRAINT `shipment_lines_order_lines_order_line` FOREIGN KEY (`order_line_id`) REFERENCES `order_lines` (`id`) ON DELETE NO ACTION);
-- Create index "shipmentline_shipment_id" to table: "shipment_lines"
CREATE INDEX `shipmentline_shipment_id` ON `shipment_lines` (`shipment_id`);
-- Create index "shipmentline_allocation_id" to table: "shipment_lines"
CREATE INDEX `shipmentline_allocation_id` ON `shipment_lines` (`allocation_id`);
-- Create "shipment_packages" table
CREATE TABLE `shipment_packages` (`id` text NOT NULL, `index` integer NOT NULL, `box` text NULL, `weight_grams` integer NOT NULL, `length_mm` integer NOT NULL, `width_mm` integer NOT NULL, `height_mm` integer NOT NULL, `contents` json NULL, `tracking_number` text NULL, `channel_ref` text NULL, `shipment_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `shipment_packages_shipments_packages` FOREIGN KEY (`shipment_id`) REFERENCES `shipments` (`id`) ON DELETE CASCADE);
-- Create "tracking_events" table
CREATE TABLE `tracking_events` (`id` text NOT NULL, `source` text NOT NULL, `event_id` text NOT NULL, `tracking_number` text NOT NULL, `tag` text NOT NULL, `subtag` text NULL, `raw_status` text NULL, `message` text NULL, `location` text NULL, `occurred_at` datetime NOT NULL, `received_at` datetime NOT NULL, `raw` text NULL, `shipment_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `tracking_events_shipments_tracking_events` FOREIGN KEY (`shipment_id`) REFERENCES `shipments` (`id`) ON DELETE NO ACTION);
-- Create index "trackingevent_source_event_id" to table: "tracking_events"
CREATE UNIQUE INDEX `trackingevent_source_event_id` ON `tracking_events` (`source`, `event_id`);
-- Create index "trackingevent_shipment_id_occurred_at" to table: "tracking_events"
CREATE INDEX `trackingevent_shipment_id_occurred_at` ON `tracking_events` (`shipment_id`, `occurred_at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
