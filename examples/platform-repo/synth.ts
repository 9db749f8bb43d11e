// Entry point of the platform repository: Kubernetes YAML into dist/ (or CDK8S_OUTDIR) and
// Terraform into cdktf.out/ (or CDKTF_OUTDIR); both apps read those variables themselves.
import { App as Cdk8sApp } from 'cdk8s';
import { App as CdktfApp } from 'cdktf';
import { buildInfra } from './infra';
import { buildPlatform } from './main';

/** Entra ID group object ids, as `cdktf deploy infra --outputs-file` reports them. */
const GROUPS = {
  admins: '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13',
  payments: 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58',
  search: 'e5a0d7b4-2c9f-4e13-b8d6-1f4a3c7e9b02',
};

const kubernetes = new Cdk8sApp();
buildPlatform(kubernetes, GROUPS);
kubernetes.synth();

const terraform = new CdktfApp();
buildInfra(terraform);
terraform.synth();
