/** The buildspec the Docker and local executor tests both run. */
export const MAIN_BUILDSPEC = `version: 0.2
env:
  variables:
    GREETING: hello
  parameter-store:
    SECRET: /codebuild-test/secret
  exported-variables:
    - BUILT_AT
phases:
  install:
    commands:
      - echo "install in $(pwd)"
      - MY_VAR=carried
      - mkdir -p out && cd out
  pre_build:
    commands:
      - echo "pre_build pwd=$(pwd) var=$MY_VAR"
      - echo "the secret is $SECRET"
  build:
    commands:
      - echo "greeting=$GREETING number=$CODEBUILD_BUILD_NUMBER succeeding=$CODEBUILD_BUILD_SUCCEEDING"
      - echo "src=$CODEBUILD_SRC_DIR resolved=$CODEBUILD_RESOLVED_SOURCE_VERSION"
      - echo built > result.txt
      - |
        for i in 1 2 3; do
          echo "line $i"
        done
      - sleep 1
      - export BUILT_AT=yes-$CODEBUILD_BUILD_NUMBER
  post_build:
    commands:
      - echo "post_build succeeding=$CODEBUILD_BUILD_SUCCEEDING"
artifacts:
  files:
    - out/result.txt
    - src/**/*
`;

export const MAIN_FILES = {
  'buildspec.yml': MAIN_BUILDSPEC,
  'src/app.txt': 'application\n',
  'src/lib/util.txt': 'utility\n',
  'README.md': 'not an artifact\n',
};

export const FAILING_BUILD = `version: 0.2
phases:
  pre_build:
    commands:
      - echo pre
  build:
    commands:
      - echo before
      - exit 3
      - echo never
    finally:
      - echo "finally ran"
  post_build:
    commands:
      - echo "post_build succeeding=$CODEBUILD_BUILD_SUCCEEDING"
`;

export const FAILING_PRE_BUILD = `version: 0.2
phases:
  pre_build:
    commands:
      - false
  build:
    commands:
      - echo "build must not run"
  post_build:
    commands:
      - echo "post_build must not run"
`;
