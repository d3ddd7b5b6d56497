import SkillChainServer

try await SkillChainMain.run()
