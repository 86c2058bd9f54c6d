-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Add column "channel_locations" to table: "locations"
ALTER TABLE `locations` ADD COLUMN `channel_locations` json NULL;
-- Create "new_shipments" table
CREATE TABLE `new_shipments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `number` text NOT NULL, `status` text NOT NULL DEFAULT ('OPEN'), `method` text NOT NULL DEFAULT ('MANUAL'), `carrier` text NULL, `service` text NULL, `carrier_ref` text NULL, `tracking_numbers` json NULL, `arranged_at` datetime NULL, `confirm_on_handover` bool NOT NULL DEFAULT (false), `tracking_url` text NULL, `tracking_tag` text NULL, `tracking_subtag` text NULL, `last_scan_at` datetime NULL, `label_amount` integer NULL, `label_currency` text NULL, `ship_by` datetime NULL, `promised_delivery_from` datetime NULL, `promised_delivery_to` datetime NULL, `latest_estimate` datetime NULL, `late_risk` bool NOT NULL DEFAULT (false), `late_reason` text NULL, `deadline_alert` text NOT NULL DEFAULT ('NONE'), `return_expected` bool NOT NULL DEFAULT (false), `shipped_at` datetime NULL, `delivered_at` datetime NULL, `ready_at` datetime NULL, `pickup_expires_at` datetime NULL, `collected_at` datetime NULL, `cancelled_at` datetime NULL, `cancel_reason` text NULL, `order_id` text NOT NULL, `location_id` text NOT NULL, `carrier_account_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `shipments_orders_shipments` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE NO ACTION, CONSTRAINT `shipments_locations_location` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`) ON DELETE NO ACTION, CONSTRAINT `shipments_carrier_accounts_carrier_account` FOREIGN KEY (`carrier_account_id`) REFERENCES `carrier_accounts` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "shipments" to new temporary table "new_shipments"
INSERT INTO `new_shipments` (`id`, `created_at`, `updated_at`, `number`, `status`, `method`, `carrier`, `service`, `carrier_ref`, `tracking_numbers`, `tracking_url`, `tracking_tag`, `tracking_subtag`, `last_scan_at`, `label_amount`, `label_currency`, `ship_by`, `promised_delivery_from`, `promised_delivery_to`, `latest_estimate`, `late_risk`, `late_reason`, `deadline_alert`, `return_expected`, `shipped_at`, `delivered_at`, `ready_at`, `pickup_expires_at`, `collected_at`, `cancelled_at`, `cancel_reason`, `order_id`, `location_id`, `carrier_account_id`) SELECT `id`, `created_at`, `updated_at`, `number`, `status`, `method`, `carrier`, `service`, `carrier_ref`, `tracking_numbers`, `tracking_url`, `tracking_tag`, `tracking_subtag`, `last_scan_at`, `label_amount`, `label_currency`, `ship_by`, `promised_delivery_from`, `promised_delivery_to`, `latest_estimate`, `late_risk`, `late_reason`, `deadline_alert`, `return_expected`, `shipped_at`, `delivered_at`, `ready_at`, `pickup_expires_at`, `collected_at`, `cancelled_at`, `cancel_reason`, `order_id`, `location_id`, `carrier_account_id` FROM `shipments`;
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
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
