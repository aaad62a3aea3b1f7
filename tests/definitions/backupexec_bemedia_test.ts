import { goldenTest } from "./golden.ts";

goldenTest("backupexec-bemedia");
