-- Modify "api_keys" table
ALTER TABLE "api_keys" ADD COLUMN "location_ids" jsonb NULL;
-- Modify "channels" table
ALTER TABLE "channels" ADD COLUMN "auth_url" character varying NULL, ADD COLUMN "credentials_version" bigint NOT NULL DEFAULT 0, ADD COLUMN "token_expires_at" timestamptz NULL, ADD COLUMN "refresh_token_expires_at" timestamptz NULL, ADD COLUMN "token_refreshed_at" timestamptz NULL, ADD COLUMN "auth_status" character varying NOT NULL DEFAULT 'OK', ADD COLUMN "auth_error" character varying NULL;
-- Modify "orders" table
ALTER TABLE "orders" ADD COLUMN "contact_email" character varying NULL;
-- Modify "order_lines" table
ALTER TABLE "order_lines" DROP CONSTRAINT "order_lines_variants_variant", ALTER COLUMN "variant_id" DROP NOT NULL, ADD COLUMN "kind" character varying NOT NULL DEFAULT 'STOCK', ADD COLUMN "name" character varying NULL, ADD CONSTRAINT "order_lines_variants_variant" FOREIGN KEY ("variant_id") REFERENCES "variants" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
