/**
 * The one error type of the bencode codec (BEP 3 bencoding): every failure of `decodeBencode` and
 * `encodeBencode` is a `BencodeError` carrying a stable code and, when decoding, the byte offset
 * where the input went wrong.
 */

export type BencodeErrorCode =
  | 'unexpected-end'
  | 'unexpected-byte'
  | 'invalid-integer'
  | 'invalid-length'
  | 'trailing-data'
  | 'too-deep'
  | 'duplicate-key'
  | 'unsorted-key'
  | 'unsupported-value';

export class BencodeError extends Error {
  override readonly name = 'BencodeError';

  constructor(
    readonly code: BencodeErrorCode,
    message: string,
    /** Byte offset of the problem in the decoded input; -1 for encoder errors. */
    readonly offset = -1,
  ) {
    super(offset >= 0 ? `${message} at byte ${offset}` : message);
  }
}
