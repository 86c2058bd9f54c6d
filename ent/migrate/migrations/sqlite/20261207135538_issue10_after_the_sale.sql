-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_inventory_levels" table
CREATE TABLE `new_inventory_levels` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `on_hand` integer NOT NULL DEFAULT (0), `reserved` integer NOT NULL DEFAULT (0), `safety_stock` integer NOT NULL DEFAULT (0), `incoming` integer NOT NULL DEFAULT (0), `damaged` integer NOT NULL DEFAULT (0), `quarantined` integer NOT NULL DEFAULT (0), `location_id` text NOT NULL, `variant_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `inventory_levels_locations_inventory_levels` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE NO ACTION, CONSTRAINT `inventory_levels_variants_inventory_levels` FOREIGN KEY (`variant_id`) REFERENCES `variants` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "inventory_levels" to new temporary table "new_inventory_levels"
INSERT INTO `new_inventory_levels` (`id`, `created_at`, `updated_at`, `on_hand`, `reserved`, `safety_stock`, `incoming`, `location_id`, `variant_id`) SELECT `id`, `created_at`, `updated_at`, `on_hand`, `reserved`, `safety_stock`, `incoming`, `location_id`, `variant_id` FROM `inventory_levels`;
-- Drop "inventory_levels" table after copying rows
DROP TABLE `inventory_levels`;
-- Rename temporary table "new_inventory_levels" to "inventory_levels"
ALTER TABLE `new_inventory_levels` RENAME TO `inventory_levels`;
-- Create index "inventorylevel_variant_id_location_id" to table: "inventory_levels"
CREATE UNIQUE INDEX `inventorylevel_variant_id_location_id` ON `inventory_levels` (`variant_id`, `location_id`);
-- Create "new_inventory_movements" table
CREATE TABLE `new_inventory_movements` (`id` text NOT NULL, `kind` text NOT NULL, `on_hand_delta` integer NOT NULL DEFAULT (0), `reserved_delta` integer NOT NULL DEFAULT (0), `damaged_delta` integer NOT NULL DEFAULT (0), `quarantined_delta` integer NOT NULL DEFAULT (0), `reason` text NULL, `reference` text NULL, `actor` text NULL, `created_at` datetime NOT NULL, `variant_id` text NOT NULL, `location_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `inventory_movements_variants_variant` FOREIGN KEY (`variant_id`) REFERENCES `variants` (`id`) ON DELETE NO ACTION, CONSTRAINT `inventory_movements_locations_location` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "inventory_movements" to new temporary table "new_inventory_movements"
INSERT INTO `new_inventory_movements` (`id`, `kind`, `on_hand_delta`, `reserved_delta`, `reason`, `reference`, `actor`, `created_at`, `variant_id`, `location_id`) SELECT `id`, `kind`, `on_hand_delta`, `reserved_delta`, `reason`, `reference`, `actor`, `created_at`, `variant_id`, `location_id` FROM `inventory_movements`;
-- Drop "inventory_movements" table after copying rows
DROP TABLE `inventory_movements`;
-- Rename temporary table "new_inventory_movements" to "inventory_movements"
ALTER TABLE `new_inventory_movements` RENAME TO `inventory_movements`;
-- Create index "inventorymovement_variant_id_location_id" to table: "inventory_movements"
CREATE INDEX `inventorymovement_variant_id_location_id` ON `inventory_movements` (`variant_id`, `location_id`);
-- Create index "inventorymovement_reference" to table: "inventory_movements"
CREATE INDEX `inventorymovement_reference` ON `inventory_movements` (`reference`);
-- Create "new_variants" table
CREATE TABLE `new_variants` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `sku` text NOT NULL, `name` text NOT NULL, `price_amount` integer NOT NULL DEFAULT (0), `currency` text NOT NULL DEFAULT ('USD'), `weight_grams` integer NOT NULL DEFAULT (0), `length_mm` integer NOT NULL DEFAULT (0), `width_mm` integer NOT NULL DEFAULT (0), `height_mm` integer NOT NULL DEFAULT (0), `returnable` bool NOT NULL DEFAULT (true), `location_supplies` text NULL, `product_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `variants_locations_supplies` FOREIGN KEY (`location_supplies`) REFERENCES `locations` (`id`) ON DELETE SET NULL, CONSTRAINT `variants_products_variants` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "variants" to new temporary table "new_variants"
INSERT INTO `new_variants` (`id`, `created_at`, `updated_at`, `sku`, `name`, `price_amount`, `currency`, `weight_grams`, `length_mm`, `width_mm`, `height_mm`, `location_supplies`, `product_id`) SELECT `id`, `created_at`, `updated_at`, `sku`, `name`, `price_amount`, `currency`, `weight_grams`, `length_mm`, `width_mm`, `height_mm`, `location_supplies`, `product_id` FROM `variants`;
-- Drop "variants" table after copying rows
DROP TABLE `variants`;
-- Rename temporary table "new_variants" to "variants"
ALTER TABLE `new_variants` RENAME TO `variants`;
-- Create index "variants_sku_key" to table: "variants"
CREATE UNIQUE INDEX `variants_sku_key` ON `variants` (`sku`);
-- Create "new_order_lines" table
CREATE TABLE `new_order_lines` (`id` text NOT NULL, `sku` text NOT NULL, `kind` text NOT NULL DEFAULT ('STOCK'), `name` text NULL, `quantity` integer NOT NULL, `cancelled_quantity` integer NOT NULL DEFAULT (0), `unit_price_amount` integer NOT NULL, `external_unit_ids` json NULL, `external_line_id` text NULL, `listing_id` text NULL, `release_at` datetime NULL, `order_id` text NOT NULL, `variant_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `order_lines_orders_lines` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE CASCADE, CONSTRAINT `order_lines_variants_variant` FOREIGN KEY (`variant_id`) REFERENCES `variants` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "order_lines" to new temporary table "new_order_lines"
INSERT INTO `new_order_lines` (`id`, `sku`, `kind`, `name`, `quantity`, `unit_price_amount`, `external_unit_ids`, `external_line_id`, `listing_id`, `release_at`, `order_id`, `variant_id`) SELECT `id`, `sku`, `kind`, `name`, `quantity`, `unit_price_amount`, `external_unit_ids`, `external_line_id`, `listing_id`, `release_at`, `order_id`, `variant_id` FROM `order_lines`;
-- Drop "order_lines" table after copying rows
DROP TABLE `order_lines`;
-- Rename temporary table "new_order_lines" to "order_lines"
ALTER TABLE `new_order_lines` RENAME TO `order_lines`;
-- Create "new_orders" table
CREATE TABLE `new_orders` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `number` text NOT NULL, `external_id` text NULL, `idempotency_key` text NULL, `placed_by` text NULL, `contact_email` text NULL, `status` text NOT NULL, `status_before_hold` text NULL, `channel_status` text NULL, `channel_updated_at` datetime NULL, `channel_refs` json NULL, `channel_hold` bool NOT NULL DEFAULT (false), `payment_status` text NOT NULL DEFAULT ('PENDING'), `fulfillment_status` text NOT NULL DEFAULT ('UNFULFILLED'), `delivery_method` text NOT NULL DEFAULT ('SHIP'), `pickup_location_id` text NULL, `payment_method` text NOT NULL DEFAULT ('PREPAID'), `currency` text NOT NULL, `subtotal_amount` integer NOT NULL, `shipping_amount` integer NOT NULL DEFAULT (0), `discount_amount` integer NOT NULL DEFAULT (0), `tax_amount` integer NOT NULL DEFAULT (0), `total_amount` integer NOT NULL, `shipping_address` json NULL, `ship_by` datetime NULL, `priority` integer NOT NULL DEFAULT (0), `cancel_reason` text NULL, `note` text NULL, `refunded_amount` integer NOT NULL DEFAULT (0), `balance_due_amount` integer NOT NULL DEFAULT (0), `exchange_for_return_id` text NULL, `return_status` text NOT NULL DEFAULT ('NONE'), `shipping_method` text NULL, `expires_at` datetime NULL, `version` integer NOT NULL DEFAULT (1), `placed_at` datetime NOT NULL, `rejected_locations` json NULL, `promised_ship_by` datetime NULL, `promised_delivery_from` datetime NULL, `promised_delivery_to` datetime NULL, `repromised_delivery_to` datetime NULL, `channel_id` text NULL, `customer_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `orders_channels_orders` FOREIGN KEY (`channel_id`) REFERENCES `channels` (`id`) ON DELETE SET NULL, CONSTRAINT `orders_customers_orders` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "orders" to new temporary table "new_orders"
INSERT INTO `new_orders` (`id`, `created_at`, `updated_at`, `number`, `external_id`, `idempotency_key`, `placed_by`, `contact_email`, `status`, `status_before_hold`, `channel_status`, `channel_updated_at`, `channel_refs`, `channel_hold`, `payment_status`, `fulfillment_status`, `delivery_method`, `pickup_location_id`, `payment_method`, `currency`, `subtotal_amount`, `shipping_amount`, `discount_amount`, `tax_amount`, `total_amount`, `shipping_address`, `ship_by`, `priority`, `cancel_reason`, `note`, `placed_at`, `rejected_locations`, `promised_ship_by`, `promised_delivery_from`, `promised_delivery_to`, `repromised_delivery_to`, `channel_id`, `customer_id`) SELECT `id`, `created_at`, `updated_at`, `number`, `external_id`, `idempotency_key`, `placed_by`, `contact_email`, `status`, `status_before_hold`, `channel_status`, `channel_updated_at`, `channel_refs`, `channel_hold`, `payment_status`, `fulfillment_status`, `delivery_method`, `pickup_location_id`, `payment_method`, `currency`, `subtotal_amount`, `shipping_amount`, `discount_amount`, `tax_amount`, `total_amount`, `shipping_address`, `ship_by`, `priority`, `cancel_reason`, `note`, `placed_at`, `rejected_locations`, `promised_ship_by`, `promised_delivery_from`, `promised_delivery_to`, `repromised_delivery_to`, `channel_id`, `customer_id` FROM `orders`;
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
CREATE TABLE `new_channels` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `name` text NOT NULL, `shop_id` text NULL, `active` bool NOT NULL DEFAULT (true), `base_url` text NULL, `webhook_url` text NULL, `credentials` blob NULL, `auth_url` text NULL, `credentials_version` integer NOT NULL DEFAULT (0), `token_expires_at` datetime NULL, `refresh_token_expires_at` datetime NULL, `token_refreshed_at` datetime NULL, `auth_status` text NOT NULL DEFAULT ('OK'), `auth_error` text NULL, `stock_buffer_kind` text NOT NULL DEFAULT ('NONE'), `stock_buffer` integer NOT NULL DEFAULT (0), `partial_shipments` text NOT NULL DEFAULT ('WAIT_COMPLETE'), `ship_by_alert_hours` integer NOT NULL DEFAULT (6), `return_window_days` integer NOT NULL DEFAULT (30), `unpaid_expiry_minutes` json NULL, `returns_pulled_until` datetime NULL, `pull_interval_seconds` integer NOT NULL DEFAULT (300), `pulled_until` datetime NULL, `last_pull_at` datetime NULL, `last_pull_error` text NULL, PRIMARY KEY (`id`));
-- Copy rows from old table "channels" to new temporary table "new_channels"
INSERT INTO `new_channels` (`id`, `created_at`, `updated_at`, `kind`, `name`, `shop_id`, `active`, `base_url`, `webhook_url`, `credentials`, `auth_url`, `credentials_version`, `token_expires_at`, `refresh_token_expires_at`, `token_refreshed_at`, `auth_status`, `auth_error`, `stock_buffer_kind`, `stock_buffer`, `partial_shipments`, `ship_by_alert_hours`, `pull_interval_seconds`, `pulled_until`, `last_pull_at`, `last_pull_error`) SELECT `id`, `created_at`, `updated_at`, `kind`, `name`, `shop_id`, `active`, `base_url`, `webhook_url`, `credentials`, `auth_url`, `credentials_version`, `token_expires_at`, `refresh_token_expires_at`, `token_refreshed_at`, `auth_status`, `auth_error`, `stock_buffer_kind`, `stock_buffer`, `partial_shipments`, `ship_by_alert_hours`, `pull_interval_seconds`, `pulled_until`, `last_pull_at`, `last_pull_error` FROM `channels`;
-- Drop "channels" table after copying rows
DROP TABLE `channels`;
-- Rename temporary table "new_channels" to "channels"
ALTER TABLE `new_channels` RENAME TO `channels`;
-- Create index "channel_kind_shop_id" to table: "channels"
CREATE UNIQUE INDEX `channel_kind_shop_id` ON `channels` (`kind`, `shop_id`);
-- Create "new_shipments" table
CREATE TABLE `new_shipments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `number` text NOT NULL, `direction` text NOT NULL DEFAULT ('OUTBOUND'), `return_id` text NULL, `status` text NOT NULL DEFAULT ('OPEN'), `method` text NOT NULL DEFAULT ('MANUAL'), `carrier` text NULL, `service` text NULL, `carrier_ref` text NULL, `tracking_numbers` json NULL, `arranged_at` datetime NULL, `confirm_on_handover` bool NOT NULL DEFAULT (false), `tracking_url` text NULL, `tracking_tag` text NULL, `tracking_subtag` text NULL, `last_scan_at` datetime NULL, `label_amount` integer NULL, `label_currency` text NULL, `ship_by` datetime NULL, `promised_delivery_from` datetime NULL, `promised_delivery_to` datetime NULL, `latest_estimate` datetime NULL, `late_risk` bool NOT NULL DEFAULT (false), `late_reason` text NULL, `deadline_alert` text NOT NULL DEFAULT ('NONE'), `return_expected` bool NOT NULL DEFAULT (false), `shipped_at` datetime NULL, `delivered_at` datetime NULL, `ready_at` datetime NULL, `pickup_expires_at` datetime NULL, `collected_at` datetime NULL, `cancelled_at` datetime NULL, `cancel_reason` text NULL, `order_id` text NOT NULL, `location_id` text NOT NULL, `carrier_account_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `shipments_orders_shipments` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE NO ACTION, CONSTRAINT `shipments_locations_location` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE NO ACTION, CONSTRAINT `shipments_carrier_accounts_carrier_account` FOREIGN KEY (`carrier_account_id`) REFERENCES `carrier_accounts` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "shipments" to new temporary table "new_shipments"
INSERT INTO `new_shipments` (`id`, `created_at`, `updated_at`, `number`, `status`, `method`, `carrier`, `service`, `carrier_ref`, `tracking_numbers`, `arranged_at`, `confirm_on_handover`, `tracking_url`, `tracking_tag`, `tracking_subtag`, `last_scan_at`, `label_amount`, `label_currency`, `ship_by`, `promised_delivery_from`, `promised_delivery_to`, `latest_estimate`, `late_risk`, `late_reason`, `deadline_alert`, `return_expected`, `shipped_at`, `delivered_at`, `ready_at`, `pickup_expires_at`, `collected_at`, `cancelled_at`, `cancel_reason`, `order_id`, `location_id`, `carrier_account_id`) SELECT `id`, `created_at`, `updated_at`, `number`, `status`, `method`, `carrier`, `service`, `carrier_ref`, `tracking_numbers`, `arranged_at`, `confirm_on_handover`, `tracking_url`, `tracking_tag`, `tracking_subtag`, `last_scan_at`, `label_amount`, `label_currency`, `ship_by`, `promised_delivery_from`, `promised_delivery_to`, `latest_estimate`, `late_risk`, `late_reason`, `deadline_alert`, `return_expected`, `shipped_at`, `delivered_at`, `ready_at`, `pickup_expires_at`, `collected_at`, `cancelled_at`, `cancel_reason`, `order_id`, `location_id`, `carrier_account_id` FROM `shipments`;
-- Drop "shipments" table after copying rows
DROP TABLE `shipments`;
-- Rename temporary table "new_shipments" to "shipments"
ALTER TABLE `new_shipments` RENAME TO `shipments`;
-- Create index "shipment_order_id" to table: "shipments"
CREATE INDEX `shipment_order_id` ON `shipments` (`order_id`);
-- Create index "shipment_location_id_status" to table: "shipments"
CREATE INDEX `shipment_location_id_status` ON `shipments` (`location_id`, `status`);
-- Create index "shipment_status_late_risk" to table: "shipments"
CREATE INDEX `shipment_status_late_risk` ON `shipments` (`status`, `late_risk`);
-- Create index "shipment_status_ship_by" to table: "shipments"
CREATE INDEX `shipment_status_ship_by` ON `shipments` (`status`, `ship_by`);
-- Create "dispositions" table
CREATE TABLE `dispositions` (`id` text NOT NULL, `return_id` text NOT NULL, `kind` text NOT NULL, `quantity` integer NOT NULL, `open_quantity` integer NOT NULL DEFAULT (0), `from_id` text NULL, `note` text NULL, `actor` text NULL, `created_at` datetime NOT NULL, `location_id` text NULL, `return_line_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `dispositions_locations_location` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE SET NULL, CONSTRAINT `dispositions_return_lines_dispositions` FOREIGN KEY (`return_line_id`) REFERENCES `return_lines` (`id`) ON DELETE NO ACTION);
-- Create index "disposition_return_id" to table: "dispositions"
CREATE INDEX `disposition_return_id` ON `dispositions` (`return_id`);
-- Create "returns" table
CREATE TABLE `returns` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `number` text NOT NULL, `channel_id` text NULL, `external_id` text NULL, `kind` text NOT NULL DEFAULT ('RETURN'), `origin` text NOT NULL, `resolution` text NOT NULL DEFAULT ('REFUND'), `status` text NOT NULL DEFAULT ('REQUESTED'), `reason_code` text NULL, `note` text NULL, `decline_reason` text NULL, `channel_status` text NULL, `channel_updated_at` datetime NULL, `channel_deadline` datetime NULL, `deadline_alert` text NOT NULL DEFAULT ('NONE'), `channel_refund_amount` integer NULL, `channel_refs` json NULL, `seller_decision` text NOT NULL DEFAULT ('NONE'), `offer_amount` integer NULL, `evidence` json NULL, `decision_sync` text NOT NULL DEFAULT ('NONE'), `decision_error` text NULL, `created_by` text NULL, `requested_at` datetime NOT NULL, `approved_at` datetime NULL, `received_at` datetime NULL, `inspected_at` datetime NULL, `completed_at` datetime NULL, `closed_at` datetime NULL, `cancelled_at` datetime NULL, `version` integer NOT NULL DEFAULT (1), `order_id` text NOT NULL, `location_id` text NULL, `shipment_id` text NULL, `exchange_order_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `returns_orders_returns` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE NO ACTION, CONSTRAINT `returns_locations_location` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE SET NULL, CONSTRAINT `returns_shipments_shipment` FOREIGN KEY (`shipment_id`) REFERENCES `shipments` (`id`) ON DELETE SET NULL, CONSTRAINT `returns_orders_exchange_order` FOREIGN KEY (`exchange_order_id`) REFERENCES `orders` (`id`) ON DELETE SET NULL);
-- Create index "orderreturn_channel_id_external_id" to table: "returns"
CREATE UNIQUE INDEX `orderreturn_channel_id_external_id` ON `returns` (`channel_id`, `external_id`);
-- Create index "orderreturn_order_id" to table: "returns"
CREATE INDEX `orderreturn_order_id` ON `returns` (`order_id`);
-- Create index "orderreturn_status_channel_deadline" to table: "returns"
CREATE INDEX `orderreturn_status_channel_deadline` ON `returns` (`status`, `channel_deadline`);
-- Create "refunds" table
CREATE TABLE `refunds` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `currency` text NOT NULL, `amount` integer NOT NULL, `shipping_amount` integer NOT NULL DEFAULT (0), `restocking_fee` integer NOT NULL DEFAULT (0), `lines` json NULL, `reason` text NULL, `status` text NOT NULL DEFAULT ('PENDING'), `external_id` text NULL, `failure_reason` text NULL, `idempotency_key` text NULL, `created_by` text NULL, `order_id` text NOT NULL, `return_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `refunds_orders_refunds` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE NO ACTION, CONSTRAINT `refunds_returns_refunds` FOREIGN KEY (`return_id`) REFERENCES `returns` (`id`) ON DELETE SET NULL);
-- Create index "refunds_idempotency_key_key" to table: "refunds"
CREATE UNIQUE INDEX `refunds_idempotency_key_key` ON `refunds` (`idempotency_key`);
-- Create "return_lines" table
CREATE TABLE `return_lines` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `variant_id` text NULL, `sku` text NOT NULL, `quantity` integer NOT NULL, `received_quantity` integer NOT NULL DEFAULT (0), `dispositioned_quantity` integer NOT NULL DEFAULT (0), `reason_code` text NULL, `note` text NULL, `refund_amount` integer NOT NULL DEFAULT (0), `external_ids` json NULL, `return_id` text NOT NULL, `order_line_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `return_lines_returns_lines` FOREIGN KEY (`return_id`) REFERENCES `returns` (`id`) ON DELETE CASCADE, CONSTRAINT `return_lines_order_lines_order_line` FOREIGN KEY (`order_line_id`) REFERENCES `order_lines` (`id`) ON DELETE NO ACTION);
-- Create "return_reasons" table
CREATE TABLE `return_reasons` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `label` text NOT NULL, `description` text NULL, `parent_code` text NULL, `default_disposition` text NOT NULL DEFAULT ('QUARANTINE'), `channel_codes` json NULL, `active` bool NOT NULL DEFAULT (true), PRIMARY KEY (`id`));
-- Create index "return_reasons_code_key" to table: "return_reasons"
CREATE UNIQUE INDEX `return_reasons_code_key` ON `return_reasons` (`code`);
-- Create "stock_holds" table
CREATE TABLE `stock_holds` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `cart` text NOT NULL, `channel_id` text NULL, `key_id` text NULL, `status` text NOT NULL DEFAULT ('ACTIVE'), `expires_at` datetime NOT NULL, `order_id` text NULL, PRIMARY KEY (`id`));
-- Create index "stockhold_key_id_cart" to table: "stock_holds"
CREATE INDEX `stockhold_key_id_cart` ON `stock_holds` (`key_id`, `cart`);
-- Create index "stockhold_status_expires_at" to table: "stock_holds"
CREATE INDEX `stockhold_status_expires_at` ON `stock_holds` (`status`, `expires_at`);
-- Create "stock_hold_lines" table
CREATE TABLE `stock_hold_lines` (`id` text NOT NULL, `variant_id` text NOT NULL, `sku` text NOT NULL, `quantity` integer NOT NULL, `active` bool NOT NULL DEFAULT (true), `hold_id` text NOT NULL, `location_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `stock_hold_lines_stock_holds_lines` FOREIGN KEY (`hold_id`) REFERENCES `stock_holds` (`id`) ON DELETE CASCADE, CONSTRAINT `stock_hold_lines_locations_location` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE NO ACTION);
-- Create index "stockholdline_variant_id_location_id_active" to table: "stock_hold_lines"
CREATE INDEX `stockholdline_variant_id_location_id_active` ON `stock_hold_lines` (`variant_id`, `location_id`, `active`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
