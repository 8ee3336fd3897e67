import { dicomWebBase, dicomWebRoot } from '../../../../src/interactions/imaging/dicomweb-base';

describe('dicomWebBase: the Endpoint.address of a manifest', () => {
  it.each([
    ['http://localhost:8080/fhir', 'http://localhost:8080/dicomweb'],
    ['http://localhost:8080/fhir/', 'http://localhost:8080/dicomweb'],
    ['https://facade.example.nhs.uk/api/fhir', 'https://facade.example.nhs.uk/api/dicomweb'],
    ['https://facade.example.nhs.uk/r4', 'https://facade.example.nhs.uk/dicomweb'],
  ])('%s -> %s', (base, root) => {
    expect(dicomWebRoot(base)).toBe(root);
    expect(dicomWebBase(base, 'abc.1.2')).toBe(`${root}/abc.1.2`);
  });
});
