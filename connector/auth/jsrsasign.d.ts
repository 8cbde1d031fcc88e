/** The part of jsrsasign (no published typings in this project) that the JWT-bearer grant uses. */
declare module 'jsrsasign' {
  export namespace KJUR {
    namespace jws {
      class JWS {
        /** Signs header.payload with alg; key may be a PEM private key (PKCS#1 or PKCS#8). */
        static sign(alg: string, header: string, payload: string, key: string): string;
      }
    }
  }
}
