import { SPECMESH_SPECS, differentialTests } from './differential';

it('the SpecMesh-style mesh has its specs', () => {
  expect(SPECMESH_SPECS.length).toBeGreaterThanOrEqual(8);
});

differentialTests('the SpecMesh-style mesh (root-relative $refs made relative for the parser)', SPECMESH_SPECS);
