CREATE INDEX `orders_revenue_idx` ON `orders` (`created_at`,`status`,`payment_method`,`payment_status`,`total_cents`);--> statement-breakpoint
CREATE INDEX `products_active_stock_idx` ON `products` (`is_active`,`stock`,`id`);--> statement-breakpoint
CREATE INDEX `users_role_joined_idx` ON `users` (`role`,`date_joined`);