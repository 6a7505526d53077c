/**
 * The edge: one CloudFront distribution, one origin for the site and the API, so candidates and
 * staff see a single host. `/v1/*` goes to the HTTP API uncached with every method and the
 * viewer's headers (Authorization, If-Match, Idempotency-Key...), cookies and query strings;
 * everything else is the built web apps (`web/dist/<app>/`) from a private bucket read through
 * origin access control. `/take` and `/take/` serve `take/index.html`, and the same for every
 * other app folder (`/console` once the console is built); the apps' security headers (their
 * CSP) are added at the edge.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { ApiMapping, DomainName, type HttpApi, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { WEB_CONTENT_SECURITY_POLICY, webContentSecurityPolicy } from '../../web/apps.ts';
import type { DomainOptions } from './options.ts';

/** The API's routes all live under this prefix; the distribution forwards it untouched. */
export const API_PATH_PATTERN = '/v1/*';

/** An app's content-hashed files (`web/dist/<app>/assets/`): cached by browsers for good. */
export const ASSETS_PATH_PATTERN = '/*/assets/*';

/** The web apps' Content-Security-Policy, declared once beside the apps (the local gateway sends it too). */
export { WEB_CONTENT_SECURITY_POLICY };

/** The web apps in a built folder: each sub-folder with an `index.html`, sorted. */
export function webAppsIn(webDist: string): string[] {
  return readdirSync(webDist, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(webDist, d.name, 'index.html')))
    .map((d) => d.name)
    .filter((name) => /^[a-z0-9-]+$/.test(name))
    .sort();
}

/**
 * The viewer-request function of the static behaviour (CloudFront Functions, cloudfront-js-2.0):
 * an app's root, with or without its trailing slash, is its `index.html`.
 */
export function appRootRewrite(apps: readonly string[]): string {
  return `var APPS = ${JSON.stringify(apps)};
function handler(event) {
  var request = event.request;
  var match = /^\\/([a-z0-9-]+)\\/?$/.exec(request.uri);
  if (match && APPS.indexOf(match[1]) !== -1) request.uri = '/' + match[1] + '/index.html';
  return request;
}
`;
}

export interface EdgeProps {
  api: HttpApi;
  stage: HttpStage;
  /** The built web apps (`web/dist`), checked by the caller. */
  webDist: string;
  /** A CloudFront (global) WAF web ACL to attach. */
  webAclArn?: string;
  /**
   * The site's own name. The distribution answers on it with `certificateArn`; the API gets a
   * regional custom domain of the same name (with `apiCertificateArn`) as CloudFront's origin,
   * and its default execute-api endpoint is disabled by the stack.
   */
  domain?: DomainOptions;
  logRetention: RetentionDays;
  /**
   * The console's sign-in: the Cognito hosted UI's base URL and the app client. Written into
   * the bucket as `console/config.json` (with the console's own URL as the redirect), and the
   * hosted UI's origin is added to the apps' `connect-src` (the console exchanges its code there).
   */
  consoleSignIn?: { cognitoDomain: string; clientId: string };
}

/** Where the console reads its sign-in settings, in the bucket and on the site. */
export const CONSOLE_CONFIG_KEY = 'console/config.json';

export class Edge extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  /** `https://<domain or distribution name>`: the candidate links' base. */
  readonly siteUrl: string;
  /** `<siteUrl>/console`. */
  readonly consoleUrl: string;
  readonly apps: readonly string[];

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.apps = webAppsIn(props.webDist);

    // One bucket for the access logs of the site bucket and the distribution. CloudFront's
    // standard logs are written with ACLs, so this bucket (only this one) allows them.
    const logs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site-bucket/',
      // Only built files, redeployed by every `cdk deploy`; but CloudFormation cannot delete a
      // bucket with objects in it, so it stays behind a `cdk destroy` (empty it, then delete).
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const rewrite = new EdgeFunction(this, 'AppRoots', {
      comment: 'Serves /<app> and /<app>/ from <app>/index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(appRootRewrite(this.apps)),
    });

    // The edge keeps files a day (every deployment invalidates it); browsers revalidate each
    // time (cheap 304s), so a deployment reaches every open page on its next load, except the
    // content-hashed assets, which they keep (see ASSETS_PATH_PATTERN).
    const siteCache = new CachePolicy(this, 'SiteCache', {
      comment: 'Web apps: a day at the edge, whatever the objects say',
      minTtl: Duration.days(1),
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const apiOrigin = props.domain
      ? this.apiCustomDomainOrigin(props)
      : new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        });

    const siteOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const csp = webContentSecurityPolicy(
      props.consoleSignIn ? [props.consoleSignIn.cognitoDomain] : [],
    );
    const pageHeaders = this.webHeaders('PageHeaders', 'no-cache', csp);
    const assetHeaders = this.webHeaders(
      'AssetHeaders',
      'public, max-age=31536000, immutable',
      csp,
    );

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${stack.stackName}: web apps and the API (/v1)`,
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: Certificate.fromCertificateArn(
              this,
              'SiteCertificate',
              props.domain.certificateArn,
            ),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: {
        origin: siteOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: siteCache,
        responseHeadersPolicy: pageHeaders,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // First: CloudFront takes the first pattern that matches, and /v1/ is always the API.
        [API_PATH_PATTERN]: {
          origin: apiOrigin,
          // A redirect would lose a POST's body: plain HTTP is refused instead.
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Every viewer header (Authorization included: CloudFront forwards it with the managed
          // all-viewer policies), cookie and query string, and CloudFront's own headers
          // (CloudFront-Viewer-Address: the candidate's address, see http/client-ip.ts). Without
          // a custom domain the Host header must be the execute-api name; with one, the
          // viewer's Host is the API's custom domain name, which is how API Gateway finds it.
          originRequestPolicy: props.domain
            ? OriginRequestPolicy.ALL_VIEWER_AND_CLOUDFRONT_2022
            : OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
        [ASSETS_PATH_PATTERN]: {
          origin: siteOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: siteCache,
          responseHeadersPolicy: assetHeaders,
        },
      },
    });
    this.acknowledgeDistribution(props);

    this.siteUrl = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;
    this.consoleUrl = `${this.siteUrl}/console`;

    this.deploy(props);
  }

  /**
   * The web apps' response headers: HSTS, the CSP, no referrer, no framing, no sniffing, a
   * browsing context of their own, and `cacheControl` (overriding the objects' own).
   */
  private webHeaders(id: string, cacheControl: string, csp: string): ResponseHeadersPolicy {
    return new ResponseHeadersPolicy(this, id, {
      comment: `Web apps: security headers, Cache-Control ${cacheControl}`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: csp,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
          { header: 'Cache-Control', value: cacheControl, override: true },
        ],
      },
    });
  }

  /**
   * The API's regional custom domain, named like the site, mapped to the stage at the root (the
   * routes carry `/v1`). CloudFront connects to its regional endpoint and forwards the viewer's
   * Host (the site's name), for which that endpoint presents `apiCertificateArn`.
   */
  private apiCustomDomainOrigin(props: EdgeProps): HttpOrigin {
    const domain = props.domain!;
    const apiDomain = new DomainName(this, 'ApiDomain', {
      domainName: domain.name,
      certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', domain.apiCertificateArn),
    });
    new ApiMapping(this, 'ApiMapping', {
      api: props.api,
      domainName: apiDomain,
      stage: props.stage,
    });
    return new HttpOrigin(apiDomain.regionalDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
  }

  private acknowledgeDistribution(props: EdgeProps): void {
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Candidates take assessments from anywhere their employer invites them; no country is excluded by default.',
    });
    if (!props.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'The web ACL is optional and attached with -c webAclArn=... (created in us-east-1 by the AssayEdgeWaf stack, -c waf=true), as docs/operations.md describes.',
      });
    }
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose security policy CloudFront fixes; -c domainName=... -c certificateArn=... sets TLSv1.2_2021.',
      });
    }
  }

  /** Uploads the built apps and invalidates the edge, with its own role and log group. */
  private deploy(props: EdgeProps): void {
    const logGroup = new LogGroup(this, 'DeployLogs', { retention: props.logRetention });
    const role = new Role(this, 'DeployRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description:
        'Copies the built web apps into the site bucket and invalidates the distribution',
    });
    logGroup.grantWrite(role);
    // The console's sign-in settings, beside its built files (read at its start).
    const config =
      props.consoleSignIn && this.apps.includes('console')
        ? [
            Source.jsonData(CONSOLE_CONFIG_KEY, {
              signIn: 'cognito',
              cognito: {
                domain: props.consoleSignIn.cognitoDomain,
                clientId: props.consoleSignIn.clientId,
                redirectUri: `${this.consoleUrl}/`,
                logoutUri: `${this.consoleUrl}/`,
                scopes: ['openid', 'email', 'profile'],
              },
            }),
          ]
        : [];
    new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(props.webDist), ...config],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      role,
      logGroup,
    });
    // What CDK's BucketDeployment grants its handler, finding by finding.
    const siteBucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    const copy =
      "CDK's BucketDeployment handler copies the built apps: it reads its own asset object";
    for (const [finding, reason] of [
      [
        'Action::s3:GetBucket*',
        `${copy} and replaces every object of the site bucket (aws-cdk-lib's grantRead/grantReadWrite action set).`,
      ],
      ['Action::s3:GetObject*', `${copy} (aws-cdk-lib's grantRead action set).`],
      [
        'Action::s3:List*',
        `${copy} and lists the site bucket to prune files no longer built (aws-cdk-lib's grantRead action set).`,
      ],
      [
        'Action::s3:Abort*',
        `${copy} with multipart uploads into the site bucket (aws-cdk-lib's grantReadWrite action set).`,
      ],
      [
        'Action::s3:DeleteObject*',
        `${copy} and deletes files of the site bucket no longer built (aws-cdk-lib's grantReadWrite action set).`,
      ],
      [
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        `${copy} from the CDK bootstrap asset bucket, whose object key is only known at deployment.`,
      ],
      [
        `Resource::<${siteBucketId}.Arn>/*`,
        `${copy} into the site bucket, every object of which it owns.`,
      ],
      [
        'Resource::*',
        `${copy}; cloudfront:CreateInvalidation and GetInvalidation of the invalidation after it are granted on "*" by aws-cdk-lib.`,
      ],
    ] as const) {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    }
    const handler = Stack.of(this).node.children.find((c) =>
      c.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (handler) {
      const why =
        "CDK's BucketDeployment handler (Python, run by CloudFormation during deployments only)";
      for (const [id, reason] of [
        ['AwsSolutions-L1', `${why}: its runtime is chosen and updated by aws-cdk-lib.`],
        [
          'Serverless-LambdaDLQ',
          `${why}: its failure fails the CloudFormation deployment, which rolls back; a queued event could not be replayed into that deployment.`,
        ],
        [
          'Serverless-LambdaTracing',
          `${why}: a short copy job run once per deployment; its log group has the trace.`,
        ],
        [
          'Serverless-LambdaLatestVersion',
          `${why}: its runtime is chosen and updated by aws-cdk-lib.`,
        ],
      ] as const) {
        Validations.of(handler).acknowledge({ id, reason });
      }
    }
  }
}
