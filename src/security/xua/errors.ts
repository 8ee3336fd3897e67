/**
 * Raised when an assertion cannot be built from what we were given (an empty attribute, a code system that is not
 * an OID, an unusable key). It is a deployment or programming fault of the facade, never the remote gateway's: the
 * caller lets it become INTERNAL_SERVER_ERROR. Messages name the field, never its value (it may identify a person).
 */
export class XuaError extends Error {
  constructor(readonly field: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'XuaError';
  }
}
