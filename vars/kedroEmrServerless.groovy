// kedroEmrServerless: the Kedro guide "deploy a Kedro project to Amazon EMR Serverless" in one call, with the steps of
// the Kedro on EMR Serverless plugin: emrsPreflight (the AWS set-up, before anything is built) -> kedroPackage ->
// emrsBuildImage (pushed) -> emrsValidateImage (the pushed digest, the image's Python, the package) -> emrsRestartApp
// (onto the digest) -> emrsSubmit (with the image's Python).
// Help: kedroEmrServerless.txt. Call it inside node { ... } (the workspace holds the project).
//
// Kept CPS- and sandbox-safe: plain for loops over lists, only whitelisted JDK calls, no closures handed to
// non-CPS methods, nothing non-serializable kept in a variable across a step.

/**
 * Runs the whole flow and returns [preflight:, packageResult:, image:, validation:, restart:, jobRun:] (the steps'
 * results; preflight, validation and restart are null when skipped).
 */
def call(Map options = [:]) {
    Map args = route(options)
    boolean withStages = options.stages != false
    Map results = [preflight: null, packageResult: null, image: null, validation: null, restart: null, jobRun: null]

    if (options.preflight != false) {
        inStage(withStages, 'Preflight') {
            // The build merges the pull statement for the application (ECR only: route() keeps applicationId there).
            results.preflight = emrsPreflight(wired(args.emrsPreflight,
                    [pullPolicyByBuild: args.emrsBuildImage.get('applicationId') != null]))
        }
    }
    inStage(withStages, 'Package') {
        results.packageResult = kedroPackage(args.kedroPackage)
    }
    inStage(withStages, 'Build image') {
        Map buildArgs = wired(args.emrsBuildImage, [packageResult: results.packageResult, push: true])
        if (!buildArgs.builder && !buildArgs.toolName && !buildArgs.builderExecutable && !containerCliOnAgent()) {
            echo 'kedroEmrServerless: this agent has no docker or podman and no builder was asked for: building the image ' +
                    'with builder jib (no daemon, no container; it needs pythonDist, a prebuilt interpreter)'
            buildArgs.builder = 'jib'
        }
        results.image = emrsBuildImage(buildArgs)
    }
    if (options.validate != false) {
        inStage(withStages, 'Validate image') {
            results.validation = emrsValidateImage(wired(args.emrsValidateImage,
                    [image: results.image.image, python: results.image.pythonPath, packageResult: results.packageResult]))
        }
    }
    if (options.restart != false) {
        inStage(withStages, 'Restart application') {
            results.restart = emrsRestartApp(wired(args.emrsRestartApp,
                    [imageUri: results.image.image, expectDigest: results.image.digest]))
        }
    }
    inStage(withStages, 'Submit job run') {
        results.jobRun = emrsSubmit(wired(args.emrsSubmit,
                [packageResult: results.packageResult, imagePython: results.image.pythonPath]))
    }
    return results
}

/**
 * Every option each step takes (the steps' own names). An option given at the top goes to every step that takes it,
 * except where the flow sets it (wiredOptions) or where it means different things to different steps
 * (ambiguousOptions: give those under the step's name, e.g. kedroPackage: [timeout: 30]).
 */
Map stepOptions() {
    return [
        emrsPreflight: withAws(['applicationId', 'executionRoleArn', 'architecture', 'repository', 'ensureRepository',
            'codeUri', 'entrypointUri', 'logUri', 'cloudWatchLogGroup', 'sparkConf', 'sparkSubmitParameters']),
        kedroPackage: ['projectDir', 'python', 'outDir', 'confDir', 'confExcludes', 'includeConfLocal', 'wheelBuilder', 'timeout'],
        emrsBuildImage: withAws(['repository', 'packageResult', 'tags', 'push', 'builder', 'toolName', 'builderExecutable',
            'buildKit', 'builderArgs', 'builderEnv', 'buildArgs', 'platform', 'pull', 'noCache', 'cacheFrom', 'labels',
            'gitCommit', 'buildUrl', 'releaseLabel', 'architecture', 'baseImage', 'pythonInstaller', 'pythonVersion',
            'pythonDist', 'pythonDistSha256', 'pythonHome', 'pyenvSource', 'cpythonSource', 'pythonBuildMirrorUrl',
            'pythonBuildDeps', 'systemPackages', 'pipRequirements', 'requirementsFile', 'pipIndexUrl', 'pipExtraIndexUrls',
            'pipFindLinks', 'pipNoIndex', 'dockerfile', 'registryLogin', 'ensureRepository', 'applicationId', 'timeout']),
        emrsValidateImage: withAws(['image', 'releaseLabel', 'architecture', 'python', 'packageName', 'packageResult',
            'confDir', 'junit', 'strict', 'layerCache', 'registryCredentialsId', 'projectCheck', 'env', 'pipelines', 'params']),
        emrsRestartApp: withAws(['applicationId', 'imageUri', 'expectDigest', 'releaseLabel', 'runningJobs', 'leaveStopped',
            'appTimeout', 'cancelGracePeriod']),
        emrsSubmit: withAws(['applicationId', 'executionRoleArn', 'packageResult', 'codeUri', 'entrypointUri', 'kedroVersion',
            'logUri', 'cloudWatchLogGroup', 'cloudWatchStreamPrefix', 'imagePython', 'env', 'runner', 'pipelines', 'tags',
            'params', 'confSource', 'kedroArgs', 'sparkConf', 'sparkSubmitParameters', 'name', 'executionTimeout', 'wait',
            'waitTimeout', 'cancelGracePeriod', 'priceFile'])
    ]
}

/** What the flow sets from the step before, by step (a value under the step's own name still wins). */
Map wiredOptions() {
    return [
        emrsPreflight: ['pullPolicyByBuild'],
        kedroPackage: [],
        emrsBuildImage: ['packageResult', 'push'],
        emrsValidateImage: ['image', 'python', 'packageResult'],
        emrsRestartApp: ['imageUri', 'expectDigest'],
        emrsSubmit: ['packageResult', 'imagePython']
    ]
}

/** Options two steps take with different meanings: only under a step's name. */
List ambiguousOptions() {
    return ['confDir', 'timeout', 'tags']
}

/** The options of the call itself. */
List flowOptions() {
    return ['preflight', 'validate', 'restart', 'stages']
}

/** The arguments of each step: the top-level options routed to the steps that take them, then each step's own map. */
Map route(Map options) {
    Map all = stepOptions()
    Map wiredByStep = wiredOptions()
    List steps = new ArrayList(all.keySet())
    Map args = [:]
    for (int i = 0; i < steps.size(); i++) {
        args.put(steps.get(i), [:])
    }
    List keys = new ArrayList(options.keySet())
    for (int k = 0; k < keys.size(); k++) {
        String key = keys.get(k)
        if (flowOptions().contains(key) || all.containsKey(key)) {
            continue
        }
        if (ambiguousOptions().contains(key)) {
            error("kedroEmrServerless: '${key}' means different things to ${String.join(' and ', takers(all, key))}: give it under"
                    + " the step's name, e.g. ${takers(all, key).get(0)}: [${key}: ...]")
        }
        List targets = []
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i)
            if (all.get(step).contains(key) && !wiredByStep.get(step).contains(key)) {
                targets.add(step)
            }
        }
        if (targets.isEmpty()) {
            error("kedroEmrServerless: unknown option '${key}'" + (takers(all, key).isEmpty() ? ""
                    : " at the top (the flow sets it; give it under the step's name to override)")
                    + ". Options: those of emrsPreflight, kedroPackage, emrsBuildImage, emrsValidateImage, emrsRestartApp and"
                    + " emrsSubmit,"
                    + " a map under a step's name, and ${String.join(', ', flowOptions())}")
        }
        for (int t = 0; t < targets.size(); t++) {
            args.get(targets.get(t)).put(key, options.get(key))
        }
    }
    for (int i = 0; i < steps.size(); i++) {
        String step = steps.get(i)
        if (options.containsKey(step)) {
            if (!(options.get(step) instanceof Map)) {
                error("kedroEmrServerless: '${step}' takes a map of ${step}'s options, e.g. ${step}: [${all.get(step).get(0)}: ...]")
            }
            args.get(step).putAll(options.get(step))
        }
    }
    // The application's id lets it pull from an ECR repository (emrsBuildImage's policy); other registries have none.
    Map imageArgs = args.get('emrsBuildImage')
    boolean ownId = options.get('emrsBuildImage') instanceof Map && options.get('emrsBuildImage').containsKey('applicationId')
    if (!ownId && !isEcr(imageArgs.get('repository'))) {
        imageArgs.remove('applicationId')
    }
    return args
}

/** Whether {@code repository} is an Amazon ECR repository URI. */
boolean isEcr(Object repository) {
    return repository != null && repository.toString().matches('[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/.+')
}

/** The steps that take {@code key}. */
List takers(Map all, String key) {
    List steps = new ArrayList(all.keySet())
    List found = []
    for (int i = 0; i < steps.size(); i++) {
        if (all.get(steps.get(i)).contains(key)) {
            found.add(steps.get(i))
        }
    }
    return found
}

/** Whether the agent has a container CLI (docker or podman) on its PATH. */
boolean containerCliOnAgent() {
    if (isUnix()) {
        return sh(script: 'command -v docker >/dev/null 2>&1 || command -v podman >/dev/null 2>&1', returnStatus: true) == 0
    }
    return bat(script: '@where docker >nul 2>&1 || where podman >nul 2>&1', returnStatus: true) == 0
}

/** A step's arguments with the values the flow passes on, where the step's own map did not set them. */
Map wired(Map stepArgs, Map fromFlow) {
    Map merged = [:]
    merged.putAll(fromFlow)
    merged.putAll(stepArgs)
    return merged
}

List withAws(List options) {
    List all = new ArrayList(options)
    all.addAll(['credentialsId', 'region', 'roleArn', 'externalId'])
    return all
}

/** Runs {@code body} in a stage named {@code name}, or as it is. */
def inStage(boolean withStages, String name, Closure body) {
    if (withStages) {
        stage(name) {
            body()
        }
    } else {
        body()
    }
}
