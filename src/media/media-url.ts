/** Public URL of an R2 object served by GET /api/v1/media/{key}. */
export const mediaUrl = (origin: string, key: string) => `${origin}/api/v1/media/${encodeURIComponent(key)}`;
