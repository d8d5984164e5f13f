/**
 * Field numbers of the Kubernetes protobuf messages the simulator decodes:
 * the kinds `kubectl create <kind>` and helm's release storage send, with
 * what they contain. Taken from the `generated.proto` files of k8s.io/api
 * and k8s.io/apimachinery (Kubernetes 1.32); `messages.test.ts` checks each
 * entry against the descriptors compiled into the real kubectl binary.
 *
 * Each message is `field=number[:type]` separated by spaces. Types:
 * (none) string, `int` varint integer, `bool`, `bytes` (base64 in JSON),
 * `[]` repeated string, `map` map of strings, `map<bytes>`,
 * `map<Quantity>`, `[Name]` repeated message, `Name` a message; `Time`,
 * `IntOrString` and `Quantity` have the JSON form of the API.
 */
export const MESSAGES: Record<string, string> = {
  // k8s.io/apimachinery
  ObjectMeta:
    'name=1 generateName=2 namespace=3 selfLink=4 uid=5 resourceVersion=6 generation=7:int creationTimestamp=8:Time deletionTimestamp=9:Time deletionGracePeriodSeconds=10:int labels=11:map annotations=12:map ownerReferences=13:[OwnerReference] finalizers=14:[] managedFields=17:[ManagedFieldsEntry]',
  OwnerReference:
    'apiVersion=5 kind=1 name=3 uid=4 controller=6:bool blockOwnerDeletion=7:bool',
  ManagedFieldsEntry:
    'manager=1 operation=2 apiVersion=3 time=4:Time fieldsType=6 fieldsV1=7:FieldsV1 subresource=8',
  FieldsV1: 'Raw=1:bytes',
  LabelSelector:
    'matchLabels=1:map matchExpressions=2:[LabelSelectorRequirement]',
  LabelSelectorRequirement: 'key=1 operator=2 values=3:[]',
  DeleteOptions:
    'gracePeriodSeconds=1:int preconditions=2:Preconditions orphanDependents=3:bool propagationPolicy=4 dryRun=5:[] ignoreStoreReadErrorWithClusterBreakingPotential=6:bool',
  Preconditions: 'uid=1 resourceVersion=2',
  // k8s.io/api/core/v1
  Namespace: 'metadata=1:ObjectMeta spec=2:NamespaceSpec status=3:Ignored',
  NamespaceSpec: 'finalizers=1:[]',
  ConfigMap:
    'metadata=1:ObjectMeta immutable=4:bool data=2:map binaryData=3:map<bytes>',
  Secret:
    'metadata=1:ObjectMeta immutable=5:bool data=2:map<bytes> stringData=4:map type=3',
  ServiceAccount:
    'metadata=1:ObjectMeta secrets=2:[ObjectReference] imagePullSecrets=3:[LocalObjectReference] automountServiceAccountToken=4:bool',
  LocalObjectReference: 'name=1',
  ObjectReference:
    'kind=1 namespace=2 name=3 uid=4 apiVersion=5 resourceVersion=6 fieldPath=7',
  Service: 'metadata=1:ObjectMeta spec=2:ServiceSpec status=3:Ignored',
  ServiceSpec:
    'ports=1:[ServicePort] selector=2:map clusterIP=3 clusterIPs=18:[] type=4 externalIPs=5:[] sessionAffinity=7 loadBalancerIP=8 loadBalancerSourceRanges=9:[] externalName=10 externalTrafficPolicy=11 healthCheckNodePort=12:int publishNotReadyAddresses=13:bool ipFamilies=19:[] ipFamilyPolicy=17 allocateLoadBalancerNodePorts=20:bool loadBalancerClass=21 internalTrafficPolicy=22 trafficDistribution=23',
  ServicePort:
    'name=1 protocol=2 appProtocol=6 port=3:int targetPort=4:IntOrString nodePort=5:int',
  ResourceQuota:
    'metadata=1:ObjectMeta spec=2:ResourceQuotaSpec status=3:Ignored',
  ResourceQuotaSpec: 'hard=1:map<Quantity> scopes=2:[]',
  PodTemplateSpec: 'metadata=1:ObjectMeta spec=2:PodSpec',
  PodSpec:
    'initContainers=20:[Container] containers=2:[Container] restartPolicy=3 terminationGracePeriodSeconds=4:int activeDeadlineSeconds=5:int dnsPolicy=6 nodeSelector=7:map serviceAccountName=8 serviceAccount=9 automountServiceAccountToken=21:bool nodeName=10 hostNetwork=11:bool hostPID=12:bool hostIPC=13:bool shareProcessNamespace=27:bool imagePullSecrets=15:[LocalObjectReference] hostname=16 subdomain=17 schedulerName=19 priorityClassName=24 priority=25:int runtimeClassName=29 enableServiceLinks=30:bool preemptionPolicy=31 setHostnameAsFQDN=35:bool hostUsers=37:bool',
  Container:
    'name=1 image=2 command=3:[] args=4:[] workingDir=5 ports=6:[ContainerPort] env=7:[EnvVar] resources=8:ResourceRequirements restartPolicy=24 volumeMounts=9:[VolumeMount] terminationMessagePath=13 terminationMessagePolicy=20 imagePullPolicy=14 stdin=16:bool stdinOnce=17:bool tty=18:bool',
  ContainerPort:
    'name=1 hostPort=2:int containerPort=3:int protocol=4 hostIP=5',
  EnvVar: 'name=1 value=2',
  ResourceRequirements: 'limits=1:map<Quantity> requests=2:map<Quantity>',
  VolumeMount:
    'name=1 readOnly=2:bool recursiveReadOnly=7 mountPath=3 subPath=4 mountPropagation=5 subPathExpr=6',
  // k8s.io/api/apps/v1
  Deployment: 'metadata=1:ObjectMeta spec=2:DeploymentSpec status=3:Ignored',
  DeploymentSpec:
    'replicas=1:int selector=2:LabelSelector template=3:PodTemplateSpec strategy=4:DeploymentStrategy minReadySeconds=5:int revisionHistoryLimit=6:int paused=7:bool progressDeadlineSeconds=9:int',
  DeploymentStrategy: 'type=1 rollingUpdate=2:RollingUpdateDeployment',
  RollingUpdateDeployment:
    'maxUnavailable=1:IntOrString maxSurge=2:IntOrString',
  // k8s.io/api/batch/v1
  Job: 'metadata=1:ObjectMeta spec=2:JobSpec status=3:Ignored',
  JobSpec:
    'parallelism=1:int completions=2:int activeDeadlineSeconds=3:int backoffLimit=7:int backoffLimitPerIndex=12:int maxFailedIndexes=13:int selector=4:LabelSelector manualSelector=5:bool template=6:PodTemplateSpec ttlSecondsAfterFinished=8:int completionMode=9 suspend=10:bool podReplacementPolicy=14 managedBy=15',
  CronJob: 'metadata=1:ObjectMeta spec=2:CronJobSpec status=3:Ignored',
  CronJobSpec:
    'schedule=1 timeZone=8 startingDeadlineSeconds=2:int concurrencyPolicy=3 suspend=4:bool jobTemplate=5:JobTemplateSpec successfulJobsHistoryLimit=6:int failedJobsHistoryLimit=7:int',
  JobTemplateSpec: 'metadata=1:ObjectMeta spec=2:JobSpec',
  // k8s.io/api/rbac/v1
  Role: 'metadata=1:ObjectMeta rules=2:[PolicyRule]',
  PolicyRule:
    'verbs=1:[] apiGroups=2:[] resources=3:[] resourceNames=4:[] nonResourceURLs=5:[]',
  RoleBinding: 'metadata=1:ObjectMeta subjects=2:[Subject] roleRef=3:RoleRef',
  RoleRef: 'apiGroup=1 kind=2 name=3',
  Subject: 'kind=1 apiGroup=2 name=3 namespace=4',
  // k8s.io/api/policy/v1
  PodDisruptionBudget:
    'metadata=1:ObjectMeta spec=2:PodDisruptionBudgetSpec status=3:Ignored',
  PodDisruptionBudgetSpec:
    'minAvailable=1:IntOrString selector=2:LabelSelector maxUnavailable=3:IntOrString unhealthyPodEvictionPolicy=4',
  // k8s.io/api/authorization/v1
  SelfSubjectAccessReview:
    'metadata=1:ObjectMeta spec=2:SelfSubjectAccessReviewSpec status=3:Ignored',
  SelfSubjectAccessReviewSpec:
    'resourceAttributes=1:ResourceAttributes nonResourceAttributes=2:NonResourceAttributes',
  ResourceAttributes:
    'namespace=1 verb=2 group=3 version=4 resource=5 subresource=6 name=7',
  NonResourceAttributes: 'path=1 verb=2',
  SelfSubjectRulesReview:
    'metadata=1:ObjectMeta spec=2:SelfSubjectRulesReviewSpec status=3:Ignored',
  SelfSubjectRulesReviewSpec: 'namespace=1',
};

/**
 * Fields that are pointers in Go: their zero value (`0`, `false`) is
 * meaningful and kept, unlike the zero values proto2 writes for every
 * plain field, which JSON would omit.
 */
export const POINTER_FIELDS = new Set([
  'replicas',
  'parallelism',
  'completions',
  'backoffLimit',
  'backoffLimitPerIndex',
  'maxFailedIndexes',
  'activeDeadlineSeconds',
  'ttlSecondsAfterFinished',
  'terminationGracePeriodSeconds',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'startingDeadlineSeconds',
  'deletionGracePeriodSeconds',
  'gracePeriodSeconds',
  'priority',
  'automountServiceAccountToken',
  'immutable',
  'suspend',
  'controller',
  'blockOwnerDeletion',
  'orphanDependents',
  'enableServiceLinks',
  'allocateLoadBalancerNodePorts',
  'manualSelector',
  'hostUsers',
  'setHostnameAsFQDN',
  'shareProcessNamespace',
]);

/** A field of a message, parsed from {@link MESSAGES}. */
export interface FieldSpec {
  name: string;
  number: number;
  /** `string`, `int`, `bool`, `bytes`, a message name, or `map<…>`. */
  type: string;
  repeated: boolean;
}

const parsed = new Map<string, Map<number, FieldSpec>>();

/** The fields of a message by number; `undefined` for an unknown message. */
export function messageFields(
  message: string,
): Map<number, FieldSpec> | undefined {
  const cached = parsed.get(message);
  if (cached) {
    return cached;
  }
  const text = MESSAGES[message];
  if (text === undefined) {
    return undefined;
  }
  const fields = new Map<number, FieldSpec>();
  for (const entry of text.split(' ')) {
    const [, name, number, type = 'string'] =
      /^(\w+)=(\d+)(?::(.+))?$/.exec(entry) ?? [];
    const list = /^\[(.*)\]$/.exec(type);
    fields.set(Number(number), {
      name,
      number: Number(number),
      type: list ? list[1] || 'string' : type,
      repeated: Boolean(list),
    });
  }
  parsed.set(message, fields);
  return fields;
}
