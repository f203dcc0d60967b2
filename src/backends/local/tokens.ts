/** What the local backend needs from bearer-token verification (JWT against trusted issuers, introspection). */
export type TokenCheck =
  | { status: 'valid'; accountName: string; issuer: string }
  | { status: 'invalid'; detail: string }
  | { status: 'unavailable'; detail: string };

export interface TokenVerifier {
  /** Cheap syntactic test: is this secret worth trying as a token? */
  looksLikeToken(secret: string): boolean;
  verify(token: string, signal?: AbortSignal): Promise<TokenCheck>;
}
