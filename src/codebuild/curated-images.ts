import type { EnvironmentPlatform } from '@aws-sdk/client-codebuild';

/**
 * The images CodeBuild manages (CodeBuild UG, Docker images provided by CodeBuild). codesuite
 * pulls nothing: a build runs whatever local image `--build-image-map` maps these names to.
 */
export const CURATED_IMAGES: EnvironmentPlatform[] = [
  {
    platform: 'UBUNTU',
    languages: [
      {
        language: 'BASE',
        images: [
          { name: 'aws/codebuild/standard:5.0', description: 'Ubuntu 20.04 standard image 5.0', versions: ['aws/codebuild/standard:5.0'] },
          { name: 'aws/codebuild/standard:6.0', description: 'Ubuntu 22.04 standard image 6.0', versions: ['aws/codebuild/standard:6.0'] },
          { name: 'aws/codebuild/standard:7.0', description: 'Ubuntu 22.04 standard image 7.0', versions: ['aws/codebuild/standard:7.0'] },
        ],
      },
    ],
  },
  {
    platform: 'AMAZON_LINUX',
    languages: [
      {
        language: 'BASE',
        images: [
          { name: 'aws/codebuild/amazonlinux2-x86_64-standard:4.0', description: 'Amazon Linux 2 x86_64 standard image 4.0', versions: ['aws/codebuild/amazonlinux2-x86_64-standard:4.0'] },
          { name: 'aws/codebuild/amazonlinux2-x86_64-standard:5.0', description: 'Amazon Linux 2023 x86_64 standard image 5.0', versions: ['aws/codebuild/amazonlinux2-x86_64-standard:5.0'] },
          { name: 'aws/codebuild/amazonlinux2-aarch64-standard:2.0', description: 'Amazon Linux 2 aarch64 standard image 2.0', versions: ['aws/codebuild/amazonlinux2-aarch64-standard:2.0'] },
          { name: 'aws/codebuild/amazonlinux2-aarch64-standard:3.0', description: 'Amazon Linux 2023 aarch64 standard image 3.0', versions: ['aws/codebuild/amazonlinux2-aarch64-standard:3.0'] },
        ],
      },
    ],
  },
];
