/** IHE XUA (ITI TF-2 3.40): build, sign and read the SAML 2.0 assertion of outbound XCA requests. */
export type { XuaAssertionContent, XuaAssertionOptions, XuaCode, XuaSigner, XuaSubject } from './types';
export { XuaError } from './errors';
export { buildSignedAssertion } from './sign';
export { readXuaAssertion, readXuaAssertionElement, missingSubjectFields } from './read';
export { defaultPurposeOfUse, loadXuaAttributesTable, xuaAttributes } from './attributes';
