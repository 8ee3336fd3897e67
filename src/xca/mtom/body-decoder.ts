/**
 * Content-Transfer-Encoding decoders (RFC 2045 §6), applied to a part's bytes as they stream.
 * binary / 8bit / 7bit are identity (MTOM sends binary, RFC 2045 §6.2); base64 is decoded incrementally so a
 * base64 attachment streams like a binary one. quoted-printable and others are refused when data arrives.
 */
import { MtomError } from './errors';

/** Decodes one part's body chunk by chunk. */
export interface BodyDecoder {
  /** Decoded bytes for this chunk (possibly empty: base64 keeps up to 3 characters for the next chunk). */
  push(chunk: Buffer): Buffer;
  /** Whatever is left at the end of the part; throws when the part ends mid-quantum. */
  end(): Buffer;
}

const EMPTY = Buffer.alloc(0);
const IDENTITY: BodyDecoder = { push: (chunk) => chunk, end: () => EMPTY };

/** Line breaks and spaces a base64 body may carry (RFC 2045 §6.8 wraps at 76 characters). */
const BASE64_WHITESPACE = /[\r\n\t ]+/g;
/** What may remain once whitespace is gone: the alphabet, then at most two pad characters at the very end. */
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

function badBase64(): MtomError {
  return new MtomError('bad-base64', 'An MTOM attachment declared Content-Transfer-Encoding base64 but is not valid base64');
}

/**
 * Streaming base64 decoder: strips whitespace, decodes whole 4-character quanta and carries the remainder.
 * Regexes and Buffer.from do the per-character work natively; no JS loop touches the body.
 */
export class Base64Decoder implements BodyDecoder {
  private carry = '';
  private padded = false;

  push(chunk: Buffer): Buffer {
    const text = this.carry + chunk.toString('latin1').replace(BASE64_WHITESPACE, '');
    if (text === '') return EMPTY;
    // After the final quantum's padding nothing but whitespace may follow (concatenated base64 is not base64).
    if (this.padded || !BASE64_TEXT.test(text)) throw badBase64();
    const usable = text.length - (text.length % 4);
    this.carry = text.slice(usable);
    // A pad inside the carried tail waits for the next chunk (`QQ=` + `=`); a pad in a decoded quantum ends the data.
    this.padded = usable > 0 && text.charCodeAt(usable - 1) === 0x3d;
    return usable === 0 ? EMPTY : Buffer.from(text.slice(0, usable), 'base64');
  }

  end(): Buffer {
    // An unpadded tail of 2 or 3 characters is accepted (lenient senders); a single character cannot be a byte.
    const tail = this.carry.replace(/=+$/, '');
    if (tail.length % 4 === 1) throw badBase64();
    this.carry = '';
    return tail === '' ? EMPTY : Buffer.from(tail, 'base64');
  }
}

/** A decoder for the part's Content-Transfer-Encoding (lower-cased, '' when absent). */
export function createBodyDecoder(transferEncoding: string): BodyDecoder {
  switch (transferEncoding) {
    case '':
    case 'binary':
    case '8bit':
    case '7bit':
      return IDENTITY;
    case 'base64':
      return new Base64Decoder();
    default:
      return {
        push: () => {
          throw new MtomError('unsupported-encoding', `MTOM part uses Content-Transfer-Encoding "${transferEncoding}", which is not supported`);
        },
        end: () => EMPTY,
      };
  }
}
